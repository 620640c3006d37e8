using Microsoft.AspNetCore.Identity;
using Portal.Api.Http;
using Portal.Api.Identity;
using Portal.Api.Tenants.Access;
using Portal.Api.Tokens;
using Portal.Data.Identity;

namespace Portal.Web.Commands;

/// <summary>
/// Runs a command-line action as a user of a tenant, through the same tenant resolution, services
/// and audit as the console (the actor shows as that user, from 127.0.0.1, "portal &lt;command&gt;").
/// </summary>
internal static class CommandTenant
{
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, string command, Func<IServiceProvider, TenantContext, Task> action)
    {
        var email = CommandLine.Option(args, "--email") ?? "admin@portal.local";
        var tenant = CommandLine.Option(args, "--tenant") ?? "demo";
        await using var scope = services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email);
        if (user is null)
        {
            Console.Error.WriteLine($"No user {email}. Run ./portal up first (it creates the demo admin).");
            return 1;
        }

        var principal = new CurrentPrincipal(user.Id, email, null, null, TokenScopes.All, user.IsPlatformAdmin, "127.0.0.1", $"portal {command}");
        try
        {
            var context = await scope.ServiceProvider.GetRequiredService<TenantAccess>().ResolveAsync(tenant, principal);
            await action(scope.ServiceProvider, context);
            return 0;
        }
        catch (PortalProblemException problem)
        {
            Console.Error.WriteLine(problem.Message);
            return 1;
        }
    }
}
