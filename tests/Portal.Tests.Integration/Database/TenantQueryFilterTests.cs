using Microsoft.EntityFrameworkCore;
using Portal.Data.Tenants;
using Portal.Testing;

namespace Portal.Tests.Integration.Database;

/// <summary>The tenant query filter is the last line of defence: it must show one tenant's rows, and none when unscoped.</summary>
public sealed class TenantQueryFilterTests(PortalServers servers)
{
    [Fact]
    public async Task A_scoped_context_sees_only_its_tenant_and_an_unscoped_one_sees_nothing()
    {
        var connection = await servers.CreateDatabaseAsync();
        var a = new Tenant { Slug = "filter-a", DisplayName = "A" };
        var b = new Tenant { Slug = "filter-b", DisplayName = "B" };
        a.Lattices.Add(new Portal.Data.Tenants.Lattice { Name = "dev", LatticeId = "filter-a-dev" });
        b.Lattices.Add(new Portal.Data.Tenants.Lattice { Name = "dev", LatticeId = "filter-b-dev" });
        await using (var setup = PortalServers.CreateContext(connection))
        {
            setup.Tenants.AddRange(a, b);
            await setup.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var db = PortalServers.CreateContext(connection);
        Assert.Empty(await db.Lattices.ToListAsync(TestContext.Current.CancellationToken));

        db.TenantScope = a.Id;
        Assert.Equal("filter-a-dev", Assert.Single(await db.Lattices.ToListAsync(TestContext.Current.CancellationToken)).LatticeId);

        db.TenantScope = b.Id;
        Assert.Equal("filter-b-dev", Assert.Single(await db.Lattices.ToListAsync(TestContext.Current.CancellationToken)).LatticeId);
        Assert.Equal(2, await db.Lattices.IgnoreQueryFilters().CountAsync(TestContext.Current.CancellationToken));

        // Compiled queries are cached across contexts: each context must still use its own scope.
        await using var first = PortalServers.CreateContext(connection);
        await using var second = PortalServers.CreateContext(connection);
        first.TenantScope = a.Id;
        second.TenantScope = b.Id;
        Assert.Equal("filter-a-dev", (await first.Lattices.SingleAsync(TestContext.Current.CancellationToken)).LatticeId);
        Assert.Equal("filter-b-dev", (await second.Lattices.SingleAsync(TestContext.Current.CancellationToken)).LatticeId);
        Assert.Equal("filter-a-dev", (await first.Lattices.SingleAsync(TestContext.Current.CancellationToken)).LatticeId);
    }
}
