using Portal.Api.Account;
using Portal.Api.Identity;

namespace Portal.Web.Components.Account;

/// <summary>Form posts of the console that are not pages.</summary>
internal static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // A form post (with Blazor's antiforgery token) so a link on another site cannot sign people out.
        endpoints.MapPost("/account/logout", async (AccountService account, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery, HttpContext http) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
            await account.SignOutAsync(CurrentPrincipal.From(http.User)?.UserId, RequestOrigin.From(http));
            return Results.LocalRedirect("/account/login");
        }).ExcludeFromDescription();
    }
}
