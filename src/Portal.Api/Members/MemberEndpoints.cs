using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Portal.Api.Tenants.Access;

namespace Portal.Api.Members;

internal static class MemberEndpoints
{
    public static void MapMemberEndpoints(this RouteGroupBuilder tenant)
    {
        tenant.MapGet("/members", async (HttpContext http, TenantContextAccessor context, MemberService members) =>
                Results.Ok(await members.ListAsync(context.Current!, http.RequestAborted)))
            .RequireTenant(TenantPermission.Read).WithName("ListMembers");

        tenant.MapPatch("/members/{userId:guid}", async (Guid userId, ChangeRoleRequest request, HttpContext http, TenantContextAccessor context, MemberService members) =>
                Results.Ok(await members.ChangeRoleAsync(context.Current!, userId, request, http.RequestAborted)))
            .RequireTenant(TenantPermission.Admin).WithName("ChangeMemberRole");

        // Removing yourself (leaving) is allowed to every member; the service decides.
        tenant.MapDelete("/members/{userId:guid}", async (Guid userId, HttpContext http, TenantContextAccessor context, MemberService members) =>
            {
                await members.RemoveAsync(context.Current!, userId, http.RequestAborted);
                return Results.NoContent();
            })
            .RequireTenant(TenantPermission.Read).WithName("RemoveMember");
    }
}
