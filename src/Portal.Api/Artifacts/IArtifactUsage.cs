namespace Portal.Api.Artifacts;

/// <summary>
/// Which deployed applications use an artifact, so deleting it can be refused while they do. The
/// Applications feature supplies the real answer; until it is registered nothing uses anything.
/// </summary>
public interface IArtifactUsage
{
    Task<IReadOnlyList<string>> ApplicationsUsingAsync(Guid tenantId, string imageRef, CancellationToken cancellationToken = default);
}

internal sealed class NoArtifactUsage : IArtifactUsage
{
    public Task<IReadOnlyList<string>> ApplicationsUsingAsync(Guid tenantId, string imageRef, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}
