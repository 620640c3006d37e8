using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Portal.Api.Tenants.Access;

namespace Portal.Api.Lattices;

internal static class LatticeEndpoints
{
    public static void MapLatticeEndpoints(this RouteGroupBuilder tenant)
    {
        tenant.MapGet("/lattices", async (HttpContext http, TenantContextAccessor context, LatticeService lattices) =>
                Results.Ok(await lattices.ListAsync(context.Current!, http.RequestAborted)))
            .RequireTenant(TenantPermission.Read).WithName("ListLattices");

        tenant.MapPost("/lattices", async (CreateLatticeRequest request, HttpContext http, TenantContextAccessor context, LatticeService lattices) =>
            {
                var created = await lattices.CreateAsync(context.Current!, request, http.RequestAborted);
                return Results.Created($"/api/v1/tenants/{context.Current!.Slug}/lattices/{created.Name}", created);
            })
            .RequireTenant(TenantPermission.Admin).WithName("CreateLattice").WithSummary("Create an environment (a lattice).");

        tenant.MapGet("/lattices/{lattice}", async (string lattice, HttpContext http, TenantContextAccessor context, LatticeService lattices) =>
                Results.Ok(await lattices.GetAsync(context.Current!, lattice, http.RequestAborted)))
            .RequireTenant(TenantPermission.Read).WithName("GetLattice");
    }
}
