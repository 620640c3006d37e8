namespace Portal.Api.Tenants;

/// <summary>A tenant as the console's switcher and the <c>/me</c> endpoint show it.</summary>
public sealed record TenantSummary(string Slug, string DisplayName, string Role);
