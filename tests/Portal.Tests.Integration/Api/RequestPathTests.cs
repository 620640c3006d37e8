using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Tenants;
using Portal.Testing;
using Portal.Testing.Billing;

namespace Portal.Tests.Integration.Api;

/// <summary>
/// The request path reads a token's membership with the token and appends audit events with one
/// locked read of the chain's head; these pin what that must still guarantee.
/// </summary>
public sealed class RequestPathTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private readonly PortalScenario _scenario = new(portal);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Concurrent_changes_in_one_tenant_each_get_their_own_link_in_the_chain()
    {
        // Twenty lattices are more than the free plan allows: this test is about the audit chain, not the limit.
        await portal.UncapDefaultPlanAsync(Portal.Data.Billing.BillingUnit.Lattices);
        var owner = await _scenario.UserAsync("burst@example.test");
        await _scenario.TenantAsync(owner, "burst");
        var token = await _scenario.TokenAsync("burst", owner, "read", "admin");
        var clients = Enumerable.Range(0, 4).Select(_ => _scenario.Client(token)).ToList();

        // Four clients, five creates each, all at once: writers of one chain queue on its lock.
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            clients[i % clients.Count].PostAsJsonAsync("/api/v1/tenants/burst/lattices", new { name = $"env{i}" }, Ct)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        await using var db = portal.CreateDbContext();
        var tenantId = await db.Tenants.Where(t => t.Slug == "burst").Select(t => t.Id).SingleAsync(Ct);
        var sequences = await db.AuditEvents.IgnoreQueryFilters().Where(a => a.TenantId == tenantId).Select(a => a.Sequence).OrderBy(s => s).ToListAsync(Ct);
        // tenant.create, token.create, then the twenty lattices: 1..22 with no gap and no repeat.
        Assert.Equal(Enumerable.Range(1, 22).Select(i => (long)i), sequences);
        var verify = await clients[0].GetFromJsonAsync<JsonElement>("/api/v1/tenants/burst/audit/verify", Ct);
        Assert.True(verify.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task A_tokens_role_is_read_on_every_request()
    {
        var owner = await _scenario.UserAsync("demoting-owner@example.test");
        var member = await _scenario.UserAsync("demoted@example.test");
        await _scenario.TenantAsync(owner, "demoting");
        await _scenario.AddMemberAsync("demoting", member, TenantRole.Admin);
        var memberClient = _scenario.Client(await _scenario.TokenAsync("demoting", member, "read", "admin"));
        Assert.Equal(HttpStatusCode.Created, (await memberClient.PostAsJsonAsync("/api/v1/tenants/demoting/lattices", new { name = "before" }, Ct)).StatusCode);

        await SetRoleAsync(member.Id, "demoting", TenantRole.Viewer);
        var asViewer = await memberClient.PostAsJsonAsync("/api/v1/tenants/demoting/lattices", new { name = "after" }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, asViewer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await memberClient.GetAsync("/api/v1/tenants/demoting/lattices", Ct)).StatusCode);

        await using (var db = portal.CreateDbContext())
        {
            await db.Memberships.IgnoreQueryFilters().Where(m => m.UserId == member.Id).ExecuteDeleteAsync(Ct);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await memberClient.GetAsync("/api/v1/tenants/demoting/lattices", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_token_answers_404_for_any_tenant_but_its_own()
    {
        var owner = await _scenario.UserAsync("two-homes@example.test");
        await _scenario.TenantAsync(owner, "home-one");
        await _scenario.TenantAsync(owner, "home-two");
        var client = _scenario.Client(await _scenario.TokenAsync("home-one", owner, "read"));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tenants/home-one/lattices", Ct)).StatusCode);
        // The user owns home-two as well, but this token was issued for home-one only.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/tenants/home-two/lattices", Ct)).StatusCode);
    }

    private async Task SetRoleAsync(Guid userId, string slug, TenantRole role)
    {
        await using var db = portal.CreateDbContext();
        await db.Memberships.IgnoreQueryFilters().Where(m => m.UserId == userId && m.Tenant!.Slug == slug)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Role, role), Ct);
    }
}
