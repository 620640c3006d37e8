using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Portal.Api.Http;
using Portal.Api.Tenants.Access;

namespace Portal.Api.Artifacts.Providers;

internal static class ProviderEndpoints
{
    public static void MapProviderEndpoints(this RouteGroupBuilder tenant)
    {
        tenant.MapGet("/providers", async (HttpContext http, TenantContextAccessor context, ProviderService providers) =>
                Results.Ok(await providers.ListAsync(context.Current!, http.RequestAborted)))
            .RequireTenant(TenantPermission.Read).WithName("ListProviders").WithSummary("The provider catalog: built-in providers and the tenant's own refs.");

        tenant.MapPost("/providers", async (AddProviderRequest request, HttpContext http, TenantContextAccessor context, ProviderService providers) =>
            {
                var added = await providers.AddAsync(context.Current!, request, http.RequestAborted);
                return Results.Created($"/api/v1/tenants/{context.Current!.Slug}/providers/{added.Name}", added);
            })
            .RequireTenant(TenantPermission.Write).WithName("AddProvider").WithSummary("Add a provider (any OCI ref) with the interfaces it declares.");

        tenant.MapDelete("/providers/{name}", async (string name, HttpContext http, TenantContextAccessor context, ProviderService providers) =>
            {
                await providers.RemoveAsync(context.Current!, name, http.RequestAborted);
                return Results.NoContent();
            })
            .RequireTenant(TenantPermission.Write).WithName("RemoveProvider");
    }
}
