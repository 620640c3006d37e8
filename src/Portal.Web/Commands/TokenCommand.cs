using Microsoft.AspNetCore.Identity;
using Portal.Api.Identity;
using Portal.Api.Tenants.Access;
using Portal.Api.Tokens;
using Portal.Data.Identity;

namespace Portal.Web.Commands;

/// <summary>
/// <c>portal-web token [--tenant SLUG] [--scopes read,write] [--email E] [--days N]</c>: issue a personal
/// access token for a user (the demo admin by default) through the same service the console uses,
/// audited as that user. Prints only the token, so scripts can capture it.
/// </summary>
internal sealed class TokenCommand : IPortalCommand
{
    public async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        var email = CommandLine.Option(args, "--email") ?? "admin@portal.local";
        var tenant = CommandLine.Option(args, "--tenant") ?? "demo";
        var scopes = (CommandLine.Option(args, "--scopes") ?? "read,write,deploy,admin").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var days = int.TryParse(CommandLine.Option(args, "--days"), out var d) ? d : 30;

        await using var scope = services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email);
        if (user is null)
        {
            Console.Error.WriteLine($"No user {email}. Run ./portal up first (it creates the demo admin).");
            return 1;
        }

        var principal = new CurrentPrincipal(user.Id, email, null, null, TokenScopes.All, user.IsPlatformAdmin, "127.0.0.1", "portal token");
        try
        {
            var context = await scope.ServiceProvider.GetRequiredService<TenantAccess>().ResolveAsync(tenant, principal);
            var created = await scope.ServiceProvider.GetRequiredService<TokenService>()
                .CreateAsync(context, new CreateTokenRequest($"cli {DateTime.UtcNow:yyyy-MM-dd HH:mm}", scopes, days));
            Console.WriteLine(created.Token);
            return 0;
        }
        catch (Portal.Api.Http.PortalProblemException problem)
        {
            Console.Error.WriteLine(problem.Message);
            return 1;
        }
    }
}
