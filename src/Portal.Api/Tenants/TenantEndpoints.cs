using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Portal.Api.Http;
using Portal.Api.Identity;
using Portal.Api.Tenants.Access;

namespace Portal.Api.Tenants;

internal static class TenantEndpoints
{
    public static void MapTenantEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/tenants", async (HttpContext http, TenantService tenants) =>
                Results.Ok(await tenants.ListMineAsync(Principal(http), http.RequestAborted)))
            .WithName("ListTenants").WithSummary("The tenants you are a member of.");

        api.MapPost("/tenants", async (CreateTenantRequest request, HttpContext http, TenantService tenants) =>
            {
                var created = await tenants.CreateAsync(Principal(http), request, http.RequestAborted);
                return Results.Created($"/api/v1/tenants/{created.Slug}", created);
            })
            .WithName("CreateTenant").WithSummary("Create a tenant; you become its Owner.");

        api.MapGet("/tenants/{tenant}", async (HttpContext http, TenantContextAccessor context, TenantService tenants) =>
            {
                var (body, version) = await tenants.GetAsync(context.Current!, http.RequestAborted);
                http.Response.Headers.ETag = ETag.From(version);
                return Results.Ok(body);
            })
            .RequireTenant(TenantPermission.Read).WithName("GetTenant");

        api.MapPatch("/tenants/{tenant}", async (UpdateTenantRequest request, HttpContext http, TenantContextAccessor context, TenantService tenants) =>
            {
                var (body, version) = await tenants.UpdateAsync(context.Current!, request, ETag.IfMatch(http.Request), http.RequestAborted);
                http.Response.Headers.ETag = ETag.From(version);
                return Results.Ok(body);
            })
            .RequireTenant(TenantPermission.Admin).WithName("UpdateTenant").WithSummary("Rename a tenant. Send If-Match with the ETag you read.");
    }

    internal static CurrentPrincipal Principal(HttpContext http) =>
        CurrentPrincipal.From(http.User, http) ?? throw new ForbiddenException("Sign in first.");
}
