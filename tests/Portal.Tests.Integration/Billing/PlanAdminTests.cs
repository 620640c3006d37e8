using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Api.Billing;
using Portal.Testing;
using static Portal.Tests.Integration.Billing.PlanTestKit;

namespace Portal.Tests.Integration.Billing;

/// <summary>Plans managed by platform admins over REST: CRUD, assignment and overrides, each audited once; tenants see only their own plan.</summary>
public sealed class PlanAdminTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Starter(decimal price = 9.5m) => new
    {
        name = "starter",
        description = "between free and team",
        monthlyPrice = price,
        currency = "USD",
        limits = new object[]
        {
            new { unit = "applications", included = 5 },
            new { unit = "artifactStorageBytes", included = 1024, overagePrice = 0.25m, overageQuantum = 512 },
        },
    };

    private async Task<List<(Guid Tenant, string Action, string Target)>> AuditAsync(string action)
    {
        await using var db = portal.CreateDbContext();
        return (await db.AuditEvents.IgnoreQueryFilters().Where(a => a.Action == action).OrderBy(a => a.Id)
            .Select(a => new { a.TenantId, a.Action, a.TargetId }).ToListAsync(Ct))
            .Select(a => (a.TenantId, a.Action, a.TargetId)).ToList();
    }

    [Fact]
    public async Task Admins_create_update_archive_and_delete_plans_each_audited_once_in_the_platform_chain()
    {
        var admin = await PlatformAdminAsync(portal, "plans-admin");

        var created = await admin.PostAsJsonAsync("/api/v1/admin/plans", Starter(), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(9.5m, body.GetProperty("monthlyPrice").GetDecimal());
        Assert.Equal("USD", body.GetProperty("currency").GetString());
        Assert.Equal(2, body.GetProperty("limits").GetArrayLength());

        var list = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/plans", Ct);
        // Other tests of this class add plans of their own to the same database.
        Assert.Subset(list.EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToHashSet(), new HashSet<string> { "free", "starter", "team" });

        var updated = await admin.PutAsJsonAsync("/api/v1/admin/plans/starter", Starter(12m), Ct);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(12m, (await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/plans/starter", Ct)).GetProperty("monthlyPrice").GetDecimal());

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/v1/admin/plans/starter/archive", null, Ct)).StatusCode);
        var active = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/plans", Ct);
        Assert.DoesNotContain(active.EnumerateArray(), p => p.GetProperty("name").GetString() == "starter");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/v1/admin/plans/starter", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/admin/plans/starter", Ct)).StatusCode);

        foreach (var action in new[] { "plan.create", "plan.update", "plan.archive", "plan.delete" })
        {
            var events = (await AuditAsync(action)).Where(a => a.Target == "starter").ToList();
            Assert.Equal(PlanAdminService.PlatformChain, Assert.Single(events).Tenant);
        }
    }

    [Fact]
    public async Task Bad_plans_get_field_errors_and_store_nothing()
    {
        var admin = await PlatformAdminAsync(portal, "plans-bad");
        var response = await admin.PostAsJsonAsync("/api/v1/admin/plans", new
        {
            name = "Bad Name", monthlyPrice = -1, currency = "euro",
            limits = new object[] { new { unit = "bogus", included = 1 }, new { unit = "apiRequestsPerMinute", included = 10, overagePrice = 1 } },
        }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        foreach (var field in new[] { "name", "monthlyPrice", "currency", "limits[0].unit", "limits[1].overagePrice" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }

        await using var db = portal.CreateDbContext();
        Assert.False(await db.Plans.AnyAsync(p => p.Name == "Bad Name", Ct));
        Assert.DoesNotContain(await AuditAsync("plan.create"), a => a.Target == "Bad Name");
    }

    [Fact]
    public async Task A_plan_in_use_cannot_be_deleted_and_the_default_cannot_be_archived()
    {
        var admin = await PlatformAdminAsync(portal, "plans-in-use");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/admin/plans", new { name = "used", monthlyPrice = 1, currency = "EUR" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/admin/tenants/plans-in-use/plan", new { plan = "used" }, Ct)).StatusCode);

        var delete = await admin.DeleteAsync("/api/v1/admin/plans/used", Ct);
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Contains("in use by 1 tenant", (await delete.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync("/api/v1/admin/plans/free/archive", null, Ct)).StatusCode);

        await using var db = portal.CreateDbContext();
        Assert.True(await db.Plans.AnyAsync(p => p.Name == "used", Ct));
        Assert.DoesNotContain(await AuditAsync("plan.delete"), a => a.Target == "used");
    }

    [Fact]
    public async Task New_tenants_start_on_the_default_plan_and_assignment_and_overrides_are_audited_in_the_tenant_chain()
    {
        var admin = await PlatformAdminAsync(portal, "plans-assign");
        var scenario = new PortalScenario(portal);
        var owner = await scenario.UserAsync("owner@plans-customer.test");
        await scenario.TenantAsync(owner, "plans-customer");
        var customer = scenario.Client(await scenario.TokenAsync("plans-customer", owner, "read"));

        var before = await customer.GetFromJsonAsync<JsonElement>("/api/v1/tenants/plans-customer/plan", Ct);
        Assert.Equal("free", before.GetProperty("plan").GetString());
        Assert.True(before.GetProperty("assigned").GetBoolean());

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/admin/tenants/plans-customer/plan", new { plan = "team" }, Ct)).StatusCode);
        await OverrideAsync(admin, "plans-customer", "lattices", 77);

        var after = await customer.GetFromJsonAsync<JsonElement>("/api/v1/tenants/plans-customer/plan", Ct);
        Assert.Equal("team", after.GetProperty("plan").GetString());
        Assert.Equal(49m, after.GetProperty("monthlyPrice").GetDecimal());
        var lattices = after.GetProperty("limits").EnumerateArray().Single(l => l.GetProperty("unit").GetString() == "lattices");
        Assert.Equal(77, lattices.GetProperty("included").GetInt64());
        Assert.True(lattices.GetProperty("overridden").GetBoolean());

        var removed = await admin.DeleteAsync("/api/v1/admin/tenants/plans-customer/plan/overrides/lattices", Ct);
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/v1/admin/tenants/plans-customer/plan/overrides/lattices", Ct)).StatusCode);

        await using var db = portal.CreateDbContext();
        var tenantId = await db.Tenants.Where(t => t.Slug == "plans-customer").Select(t => t.Id).SingleAsync(Ct);
        var actions = await db.AuditEvents.IgnoreQueryFilters().Where(a => a.TenantId == tenantId).OrderBy(a => a.Sequence).Select(a => a.Action).ToListAsync(Ct);
        Assert.Equal(["tenant.create", "token.create", "tenant.plan.assign", "tenant.plan.override", "tenant.plan.override.remove"], actions);
    }

    [Fact]
    public async Task Overrides_and_assignments_reject_bad_input_and_unknown_tenants()
    {
        var admin = await PlatformAdminAsync(portal, "plans-input");
        var unit = await admin.PutAsJsonAsync("/api/v1/admin/tenants/plans-input/plan/overrides/bogus", new { included = 1, reason = "x" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unit.StatusCode);
        var noReason = await admin.PutAsJsonAsync("/api/v1/admin/tenants/plans-input/plan/overrides/lattices", new { included = 1 }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var noPlan = await admin.PutAsJsonAsync("/api/v1/admin/tenants/plans-input/plan", new { plan = "gold" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noPlan.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/admin/tenants/nobody-here/plan", Ct)).StatusCode);

        await using var db = portal.CreateDbContext();
        Assert.Empty(await db.TenantPlanOverrides.IgnoreQueryFilters().ToListAsync(Ct));
        Assert.Equal("free", await db.TenantPlans.IgnoreQueryFilters().Where(t => t.Plan!.Name == "free").Select(t => t.Plan!.Name).FirstAsync(Ct));
    }

    [Fact]
    public async Task Tenants_see_only_their_own_plan_and_members_cannot_administer_plans()
    {
        var scenario = new PortalScenario(portal);
        var owner = await scenario.UserAsync("owner@plans-mine.test");
        var stranger = await scenario.UserAsync("owner@plans-theirs.test");
        await scenario.TenantAsync(owner, "plans-mine");
        await scenario.TenantAsync(stranger, "plans-theirs");
        var mine = scenario.Client(await scenario.TokenAsync("plans-mine", owner, "read", "write", "deploy", "admin"));

        Assert.Equal(HttpStatusCode.OK, (await mine.GetAsync("/api/v1/tenants/plans-mine/plan", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await mine.GetAsync("/api/v1/tenants/plans-theirs/plan", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await mine.GetAsync("/api/v1/admin/plans", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await mine.PutAsJsonAsync("/api/v1/admin/tenants/plans-mine/plan", new { plan = "team" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await mine.PutAsJsonAsync("/api/v1/admin/tenants/plans-mine/plan/overrides/lattices", new { included = 999, reason = "self-service" }, Ct)).StatusCode);

        // A platform admin's token without the admin scope is refused too.
        var admin = await scenario.UserAsync("admin@plans-scope.test");
        await using (var db = portal.CreateDbContext())
        {
            await db.Users.Where(u => u.Id == admin.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsPlatformAdmin, true), Ct);
        }

        await scenario.TenantAsync(admin, "plans-scope");
        var reader = scenario.Client(await scenario.TokenAsync("plans-scope", admin, "read"));
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/v1/admin/plans", Ct)).StatusCode);

        await using var check = portal.CreateDbContext();
        Assert.Equal("free", await check.TenantPlans.IgnoreQueryFilters().Where(t => t.TenantId == check.Tenants.Single(x => x.Slug == "plans-mine").Id).Select(t => t.Plan!.Name).SingleAsync(Ct));
    }
}
