namespace Portal.Api.Artifacts.Providers;

/// <summary>A config key a provider reads from a link's config, e.g. the HTTP server's <c>address</c>.</summary>
public sealed record ProviderConfigKey(string Name, string Description, string? Example);

/// <summary>One entry of a tenant's provider catalog: one of our host's built-ins, or a ref the tenant added.</summary>
public sealed record ProviderResponse(
    string Name,
    string ImageRef,
    string Description,
    bool BuiltIn,
    IReadOnlyList<string> Exports,
    IReadOnlyList<string> Imports,
    IReadOnlyList<ProviderConfigKey> ConfigKeys,
    IReadOnlyList<string> AlsoKnownAs,
    DateTimeOffset? AddedAt);

public sealed record AddProviderRequest(string? Name, string? ImageRef, string? Description, IReadOnlyList<string>? Exports, IReadOnlyList<string>? Imports);
