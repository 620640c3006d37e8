using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Portal.Api.Http;
using Portal.Api.Tenants.Access;

namespace Portal.Api.Tokens;

internal static class TokenEndpoints
{
    public static void MapTokenEndpoints(this RouteGroupBuilder tenant)
    {
        tenant.MapGet("/tokens", async (HttpContext http, TenantContextAccessor context, TokenService tokens) =>
                Results.Ok(await tokens.ListAsync(context.Current!, http.RequestAborted)))
            .RequireTenant(TenantPermission.Read).WithName("ListTokens");

        tenant.MapPost("/tokens", async (CreateTokenRequest request, HttpContext http, TenantContextAccessor context, TokenService tokens) =>
            {
                var created = await tokens.CreateAsync(context.Current!, request, http.RequestAborted);
                return Results.Created($"/api/v1/tenants/{context.Current!.Slug}/tokens/{created.Metadata.Id}", created);
            })
            .RequireTenant(TenantPermission.Read).WithMetadata(new ReturnsSecretOnce()).WithName("CreateToken").WithSummary("Create a personal access token; it is shown once.");

        tenant.MapDelete("/tokens/{id:guid}", async (Guid id, HttpContext http, TenantContextAccessor context, TokenService tokens) =>
            {
                await tokens.RevokeAsync(context.Current!, id, http.RequestAborted);
                return Results.NoContent();
            })
            .RequireTenant(TenantPermission.Read).WithName("RevokeToken");
    }
}
