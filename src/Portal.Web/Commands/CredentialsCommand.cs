using Microsoft.AspNetCore.Identity;
using Portal.Api.Identity;
using Portal.Api.Lattices.Credentials;
using Portal.Api.Tenants.Access;
using Portal.Api.Tokens;
using Portal.Data.Identity;

namespace Portal.Web.Commands;

/// <summary>
/// <c>portal-web credentials [--tenant T] [--lattice L] [--name N] [--email E]</c>: issue host join
/// credentials as a user (the demo admin by default), audited like the console's button. Prints
/// <c>user=</c>, <c>password=</c> and <c>lattice=</c> lines for scripts.
/// </summary>
internal sealed class CredentialsCommand : IPortalCommand
{
    public async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        var email = CommandLine.Option(args, "--email") ?? "admin@portal.local";
        var tenant = CommandLine.Option(args, "--tenant") ?? "demo";
        var lattice = CommandLine.Option(args, "--lattice") ?? "dev";
        var name = CommandLine.Option(args, "--name") ?? "cli";

        await using var scope = services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email);
        if (user is null)
        {
            Console.Error.WriteLine($"No user {email}.");
            return 1;
        }

        var principal = new CurrentPrincipal(user.Id, email, null, null, TokenScopes.All, user.IsPlatformAdmin, "127.0.0.1", "portal credentials");
        try
        {
            var context = await scope.ServiceProvider.GetRequiredService<TenantAccess>().ResolveAsync(tenant, principal);
            var issued = await scope.ServiceProvider.GetRequiredService<HostCredentialService>().IssueAsync(context, lattice, new IssueCredentialRequest(name));
            Console.WriteLine($"user={issued.Credential.NatsUser}");
            Console.WriteLine($"password={issued.Password}");
            Console.WriteLine($"command={issued.JoinCommand}");
            return 0;
        }
        catch (Portal.Api.Http.PortalProblemException problem)
        {
            Console.Error.WriteLine(problem.Message);
            return 1;
        }
    }
}
