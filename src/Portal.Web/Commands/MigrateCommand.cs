using Portal.Api.Database;

namespace Portal.Web.Commands;

/// <summary>
/// <c>portal-web migrate [--seed]</c>: bring the database schema up to date, then exit; with
/// <c>--seed</c> also create the demo admin and tenant (what containers run once before the portal).
/// </summary>
internal sealed class MigrateCommand : IPortalCommand
{
    public async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        await using var scope = services.CreateAsyncScope();
        var applied = await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        Console.WriteLine(applied.Count == 0 ? "Schema up to date." : $"Applied {applied.Count} migration(s).");
        return args.Contains("--seed") ? await new SeedCommand().RunAsync(services, args) : 0;
    }
}
