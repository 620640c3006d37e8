using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Portal.Api.Http;
using Portal.Api.Lattices.Credentials;
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

        tenant.MapGet("/lattices/{lattice}/credentials", async (string lattice, HttpContext http, TenantContextAccessor context, HostCredentialService credentials) =>
                Results.Ok(await credentials.ListAsync(context.Current!, lattice, http.RequestAborted)))
            .RequireTenant(TenantPermission.Admin).WithName("ListHostCredentials");

        tenant.MapPost("/lattices/{lattice}/credentials", async (string lattice, IssueCredentialRequest request, HttpContext http, TenantContextAccessor context, HostCredentialService credentials) =>
            {
                var issued = await credentials.IssueAsync(context.Current!, lattice, request, http.RequestAborted);
                return Results.Created($"/api/v1/tenants/{context.Current!.Slug}/lattices/{lattice}/credentials/{issued.Credential.Id}", issued);
            })
            .RequireTenant(TenantPermission.Admin).WithMetadata(new ReturnsSecretOnce()).WithName("IssueHostCredential").WithSummary("Issue NATS credentials a host joins this lattice with; the password is shown once.");

        tenant.MapDelete("/lattices/{lattice}/credentials/{id:guid}", async (string lattice, Guid id, HttpContext http, TenantContextAccessor context, HostCredentialService credentials) =>
            {
                await credentials.RevokeAsync(context.Current!, lattice, id, http.RequestAborted);
                return Results.NoContent();
            })
            .RequireTenant(TenantPermission.Admin).WithName("RevokeHostCredential").WithSummary("Revoke host credentials; connected hosts using them are cut off.");
    }
}
