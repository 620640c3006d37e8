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

        // The pool is a queue shared with the portal's background services, which lease and return
        // contexts of their own meanwhile: lease (and hold) until the scoped one comes back. Every
        // context leased on the way must be unscoped too.
        var held = new List<AsyncServiceScope>();
        PortalDbContext? again = null;
        try
        {
            for (var i = 0; i < 64 && again is null; i++)
            {
                var next = portal.Services.CreateAsyncScope();
                held.Add(next);
                var context = next.ServiceProvider.GetRequiredService<PortalDbContext>();
                Assert.Null(context.TenantScope);
                if (ReferenceEquals(context, leased)) again = context;
            }

            Assert.True(again is not null, "the scoped context never came back from the pool");
            Assert.Null(again.TenantScope);
            Assert.Empty(await again.Lattices.ToListAsync(Ct));
        }
        finally
        {
            foreach (var scope in held) await scope.DisposeAsync();
        }
    }
}
