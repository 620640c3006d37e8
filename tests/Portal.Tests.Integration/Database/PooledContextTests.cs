using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Testing;

namespace Portal.Tests.Integration.Database;

/// <summary>Requests lease their DbContext from a pool; a lease must never keep the last request's tenant.</summary>
public sealed class PooledContextTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_leased_context_starts_unscoped_even_when_its_last_user_was_scoped()
    {
        var scenario = new PortalScenario(portal);
        var owner = await scenario.UserAsync("pool@example.test");
        var tenant = await scenario.TenantAsync(owner, "pool");
        await using (var db = portal.CreateDbContext())
        {
            db.Lattices.Add(new Portal.Data.Tenants.Lattice { TenantId = db.Tenants.Single(t => t.Slug == "pool").Id, Name = "dev", LatticeId = "pool-dev" });
            await db.SaveChangesAsync(Ct);
        }

        PortalDbContext leased;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            leased = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            leased.TenantScope = await leased.Tenants.Where(t => t.Slug == tenant.Slug).Select(t => t.Id).SingleAsync(Ct);
            Assert.Single(await leased.Lattices.ToListAsync(Ct));
        }

        await using var next = portal.Services.CreateAsyncScope();
        var again = next.ServiceProvider.GetRequiredService<PortalDbContext>();

        Assert.Same(leased, again);
        Assert.Null(again.TenantScope);
        Assert.Empty(await again.Lattices.ToListAsync(Ct));
    }
}
