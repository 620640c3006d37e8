using System.Text.Json;

namespace Portal.Api.Artifacts;

/// <summary>An artifact as lists show it.</summary>
public sealed record ArtifactResponse(
    string Name,
    string Tag,
    string Digest,
    long Size,
    string Kind,
    IReadOnlyList<string> Imports,
    IReadOnlyList<string> Exports,
    string UploadedBy,
    DateTimeOffset UploadedAt,
    string ImageRef);

/// <summary>One artifact with everything the inspector read from it, and the applications that use it.</summary>
public sealed record ArtifactDetailResponse(
    ArtifactResponse Artifact,
    string ManifestDigest,
    JsonElement Inspection,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> UsedBy);

/// <summary>What an upload did: stored new bytes, reused identical ones, or moved an existing tag.</summary>
public sealed record ArtifactUploadResponse(ArtifactResponse Artifact, bool Created, bool BytesAlreadyStored, string? PreviousDigest);
