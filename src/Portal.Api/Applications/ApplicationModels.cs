using System.Text.Json;
using Portal.Api.Applications.Manifests;
using Portal.Api.Deployments;

namespace Portal.Api.Applications;

/// <summary>An application as lists show it: its newest version and where which version runs.</summary>
public sealed record ApplicationSummary(
    string Name,
    string? Description,
    string LatestVersion,
    int VersionCount,
    IReadOnlyList<DeploymentSummary> Deployments,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>One application with every version (in insertion order) and every deployment.</summary>
public sealed record ApplicationDetail(
    ApplicationSummary Application,
    IReadOnlyList<ApplicationVersionSummary> Versions,
    IReadOnlyList<DeploymentResponse> Deployments);

/// <param name="DeployedTo">The lattices (environment names) where this version is the desired one.</param>
public sealed record ApplicationVersionSummary(
    string Version,
    long Sequence,
    string? Description,
    string Digest,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> DeployedTo);

/// <summary>A version with its manifest: canonical (as JSON) and as submitted.</summary>
public sealed record ApplicationVersionDetail(
    string Application,
    ApplicationVersionSummary Version,
    JsonElement Manifest,
    string Submitted,
    string SubmittedFormat);

/// <summary>What a put did: created the application, or added a version; and the warnings found.</summary>
public sealed record ApplicationPutResponse(
    string Application,
    string Version,
    bool CreatedApplication,
    bool VersionAssigned,
    ApplicationVersionSummary Details,
    IReadOnlyList<ManifestProblem> Warnings);

/// <summary>One entry of an application's timeline.</summary>
public sealed record ApplicationEventResponse(
    long Id,
    DateTimeOffset At,
    string Kind,
    string? Lattice,
    string? Version,
    string Actor,
    string Message,
    JsonElement? Data);
