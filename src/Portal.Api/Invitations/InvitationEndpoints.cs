using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Portal.Api.Http;
using Portal.Api.Tenants;
using Portal.Api.Tenants.Access;

namespace Portal.Api.Invitations;

internal static class InvitationEndpoints
{
    public static void MapInvitationEndpoints(this RouteGroupBuilder api, RouteGroupBuilder tenant)
    {
        tenant.MapGet("/invitations", async (HttpContext http, TenantContextAccessor context, InvitationService invitations) =>
                Results.Ok(await invitations.ListAsync(context.Current!, http.RequestAborted)))
            .RequireTenant(TenantPermission.Admin).WithName("ListInvitations");

        tenant.MapPost("/invitations", async (CreateInvitationRequest request, HttpContext http, TenantContextAccessor context, InvitationService invitations) =>
            {
                var created = await invitations.CreateAsync(context.Current!, request, http.RequestAborted);
                return Results.Created($"/api/v1/tenants/{context.Current!.Slug}/invitations/{created.Invitation.Id}", created);
            })
            .RequireTenant(TenantPermission.Admin).WithMetadata(new ReturnsSecretOnce()).WithName("CreateInvitation").WithSummary("Invite an e-mail address; the link is shown once.");

        tenant.MapDelete("/invitations/{id:guid}", async (Guid id, HttpContext http, TenantContextAccessor context, InvitationService invitations) =>
            {
                await invitations.RevokeAsync(context.Current!, id, http.RequestAborted);
                return Results.NoContent();
            })
            .RequireTenant(TenantPermission.Admin).WithName("RevokeInvitation");

        api.MapPost("/invitations/{secret}/accept", async (string secret, HttpContext http, InvitationService invitations) =>
                Results.Ok(await invitations.AcceptAsync(TenantEndpoints.Principal(http), secret, http.RequestAborted)))
            .WithName("AcceptInvitation");
    }
}
