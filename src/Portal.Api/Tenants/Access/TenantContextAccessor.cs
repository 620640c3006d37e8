namespace Portal.Api.Tenants.Access;

/// <summary>Holds the request's resolved tenant for endpoints, set by <see cref="TenantResolutionMiddleware"/>.</summary>
public sealed class TenantContextAccessor
{
    public TenantContext? Current { get; set; }
}
