using Portal.Api.Http;

namespace Portal.Api.Applications.Manifests;

/// <summary>
/// 422: the manifest was read but breaks wadm's rules or ours. The problem details carry every
/// finding in <c>errors</c> (<c>{path, line, column, message, severity}</c>), warnings included, so
/// an editor can mark each line; nothing was stored.
/// </summary>
public sealed class ManifestRejectedException(IReadOnlyList<ManifestProblem> problems)
    : PortalProblemException(422, "Invalid manifest", Describe(problems), "/problems/invalid-manifest")
{
    public IReadOnlyList<ManifestProblem> Problems { get; } = problems;

    public override IReadOnlyDictionary<string, object?> Extensions => new Dictionary<string, object?> { ["errors"] = Problems };

    private static string Describe(IReadOnlyList<ManifestProblem> problems)
    {
        var errors = problems.Where(p => p.IsError).ToList();
        var first = errors.FirstOrDefault() ?? problems.FirstOrDefault();
        var where = first is null ? "" : $" First: {(first.Path.Length == 0 ? "" : first.Path + " ")}(line {first.Line}, column {first.Column}) {first.Message}";
        return $"The manifest has {errors.Count} error(s).{where}";
    }
}
