using Microsoft.EntityFrameworkCore;
using Portal.Testing;

namespace Portal.Tests.Integration.Database;

public sealed class MigrationTests(PortalServers servers)
{
    [Fact]
    public async Task Every_model_change_is_covered_by_a_migration()
    {
        await using var db = PortalServers.CreateContext(await servers.CreateDatabaseAsync());
        Assert.False(
            db.Database.HasPendingModelChanges(),
            "The EF model has changes no migration covers. Add one: dotnet ef migrations add <Name> --project migrations/Portal.Migrations");
    }

    [Fact]
    public async Task A_new_database_is_migrated_to_the_latest_migration()
    {
        await using var db = PortalServers.CreateContext(await servers.CreateDatabaseAsync());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.Equal(db.Database.GetMigrations().Last(), (await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken)).Last());
        Assert.Equal(0, await db.Tenants.CountAsync(TestContext.Current.CancellationToken));
    }
}
