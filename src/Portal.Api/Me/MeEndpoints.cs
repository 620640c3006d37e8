using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Portal.Api.Tenants;

namespace Portal.Api.Me;

public sealed record MeResponse(Guid UserId, string Email, bool IsPlatformAdmin, string? Token, IReadOnlyList<string> Scopes, IReadOnlyList<TenantResponse> Tenants);

internal static class MeEndpoints
{
    public static void MapMeEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/me", async (HttpContext http, TenantService tenants) =>
            {
                var me = TenantEndpoints.Principal(http);
                return Results.Ok(new MeResponse(me.UserId, me.Name, me.IsPlatformAdmin, me.TokenId?.ToString(), me.Scopes.ToList(), await tenants.ListMineAsync(me, http.RequestAborted)));
            })
            .WithName("GetMe").WithSummary("Who am I, and which tenants can I see.");
    }
}
