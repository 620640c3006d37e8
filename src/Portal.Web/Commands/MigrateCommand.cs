using Portal.Api.Database;

namespace Portal.Web.Commands;

/// <summary><c>portal-web migrate</c>: bring the database schema up to date, then exit.</summary>
internal sealed class MigrateCommand : IPortalCommand
{
    public async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        await using var scope = services.CreateAsyncScope();
        var applied = await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        Console.WriteLine(applied.Count == 0 ? "Schema up to date." : $"Applied {applied.Count} migration(s).");
        return 0;
    }
}
