using Microsoft.AspNetCore.Builder;

namespace Portal.Api.Tenants.Access;

/// <summary>Endpoint metadata: this route acts on the <c>{tenant}</c> in its path and needs this permission.</summary>
public sealed record RequiresTenantPermission(TenantPermission Permission);

public static class TenantEndpointConventions
{
    public static TBuilder RequireTenant<TBuilder>(this TBuilder builder, TenantPermission permission) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiresTenantPermission(permission));
}
