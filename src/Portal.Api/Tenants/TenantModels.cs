namespace Portal.Api.Tenants;

public sealed record TenantResponse(string Slug, string DisplayName, string Role, DateTimeOffset CreatedAt);

public sealed record CreateTenantRequest(string? Slug, string? DisplayName);

public sealed record UpdateTenantRequest(string? DisplayName);
