using Portal.Api.Lattices.Credentials;

namespace Portal.Web.Commands;

/// <summary>
/// <c>portal-web credentials [--tenant T] [--lattice L] [--name N] [--email E]</c>: issue host join
/// credentials as a user (the demo admin by default), audited like the console's button. Prints
/// <c>user=</c>, <c>password=</c> and <c>command=</c> lines for scripts.
/// </summary>
internal sealed class CredentialsCommand : IPortalCommand
{
    public Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        var lattice = CommandLine.Option(args, "--lattice") ?? "dev";
        var name = CommandLine.Option(args, "--name") ?? "cli";
        return CommandTenant.RunAsync(services, args, "credentials", async (sp, context) =>
        {
            var issued = await sp.GetRequiredService<HostCredentialService>().IssueAsync(context, lattice, new IssueCredentialRequest(name));
            Console.WriteLine($"user={issued.Credential.NatsUser}");
            Console.WriteLine($"password={issued.Password}");
            Console.WriteLine($"command={issued.JoinCommand}");
        });
    }
}
