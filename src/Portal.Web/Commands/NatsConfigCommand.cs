using Portal.Api.Lattices.Credentials;

namespace Portal.Web.Commands;

/// <summary>
/// <c>portal-web nats-config</c>: write nats-server's accounts file from the database (and reload the
/// server if it runs). <c>./portal up</c> runs it before starting nats-server.
/// </summary>
internal sealed class NatsConfigCommand : IPortalCommand
{
    public async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        await using var scope = services.CreateAsyncScope();
        var configurator = scope.ServiceProvider.GetRequiredService<NatsAuthConfigurator>();
        if (!configurator.Enabled)
        {
            Console.Error.WriteLine("Nats:AccountsFile is not set; nothing to write.");
            return 1;
        }

        await configurator.ApplyAsync();
        return 0;
    }
}
