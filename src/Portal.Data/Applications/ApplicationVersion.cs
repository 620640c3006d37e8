namespace Portal.Data.Applications;

/// <summary>
/// One immutable manifest of an application. The version string is unique per application; the
/// text is kept exactly as submitted (what the person wrote) and as canonical JSON (what the
/// reconciler and diffs read).
/// </summary>
public sealed class ApplicationVersion : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid TenantId { get; set; }

    public Guid ApplicationId { get; set; }

    public Application? Application { get; set; }

    /// <summary>The manifest's <c>metadata.annotations.version</c>, or the one the portal assigned.</summary>
    public required string Version { get; set; }

    /// <summary>Insertion order (wadm lists versions in the order they were put). Database-assigned, so concurrent puts never share one.</summary>
    public long Sequence { get; set; }

    /// <summary>The manifest text byte for byte as it arrived.</summary>
    public required string Submitted { get; set; }

    /// <summary><c>yaml</c> or <c>json</c>: how <see cref="Submitted"/> was parsed.</summary>
    public required string SubmittedFormat { get; set; }

    /// <summary>The parsed manifest as JSON, with the version annotation filled in.</summary>
    public required string Canonical { get; set; }

    /// <summary><c>sha256:</c> of <see cref="Canonical"/>'s UTF-8 bytes.</summary>
    public required string Digest { get; set; }

    public string? Description { get; set; }

    /// <summary>Every component and provider image the manifest names; answers "which applications use this artifact".</summary>
    public string[] ImageRefs { get; set; } = [];

    public Guid? CreatedById { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
