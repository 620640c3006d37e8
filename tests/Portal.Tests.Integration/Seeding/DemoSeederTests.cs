using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Api.Audit;
using Portal.Api.Seeding;
using Portal.Data.Tenants;
using Portal.Testing;

namespace Portal.Tests.Integration.Seeding;

public sealed class DemoSeederTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    [Fact]
    public async Task Seeding_twice_creates_one_admin_one_tenant_and_one_chained_audit_event()
    {
        var first = await portal.WithScopeAsync(sp => sp.GetRequiredService<DemoSeeder>().SeedAsync("owner@example.test", resetPassword: false));
        var second = await portal.WithScopeAsync(sp => sp.GetRequiredService<DemoSeeder>().SeedAsync("owner@example.test", resetPassword: false));

        Assert.NotNull(first.AdminPassword);
        Assert.Null(second.AdminPassword);
        Assert.Equal("demo-dev", second.LatticeId);

        await using var db = portal.CreateDbContext();
        var tenant = await db.Tenants.IgnoreQueryFilters().Include(t => t.Members).Include(t => t.Lattices).SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(TenantRole.Owner, Assert.Single(tenant.Members).Role);
        Assert.Equal("dev", Assert.Single(tenant.Lattices).Name);

        var audit = Assert.Single(await db.AuditEvents.IgnoreQueryFilters().Where(a => a.TenantId == tenant.Id).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal("tenant.create", audit.Action);
        Assert.Equal(AuditHasher.Genesis, audit.PreviousHash);
        Assert.Equal(AuditHasher.Compute(audit), audit.Hash);

        // The catalog's plans exist once (seeding twice adds none) and the demo tenant is on the default one.
        var plans = await db.Plans.OrderBy(p => p.Name).Select(p => p.Name).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["free", "team"], plans);
        var assigned = await db.TenantPlans.IgnoreQueryFilters().Where(t => t.TenantId == tenant.Id).Select(t => t.Plan!.Name).SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal("free", assigned);
    }

    [Fact]
    public async Task Resetting_the_admin_password_prints_a_new_one_that_signs_in()
    {
        var reset = await portal.WithScopeAsync(sp => sp.GetRequiredService<DemoSeeder>().SeedAsync("reset@example.test", resetPassword: true));
        Assert.NotNull(reset.AdminPassword);

        var valid = await portal.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Portal.Data.Identity.PortalUser>>();
            var user = await users.FindByEmailAsync("reset@example.test");
            return await users.CheckPasswordAsync(user!, reset.AdminPassword!);
        });
        Assert.True(valid);
    }
}
