using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Tenants;
using Portal.Testing;

namespace Portal.Tests.Integration.Api;

public sealed class MembershipTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private readonly PortalScenario _scenario = new(portal);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_invitation_link_adds_the_invitee_with_its_role_once()
    {
        var owner = await _scenario.UserAsync("inviter@example.test");
        var invitee = await _scenario.UserAsync("invitee@example.test");
        await _scenario.TenantAsync(owner, "inviting");
        var admin = _scenario.Client(await _scenario.TokenAsync("inviting", owner, "read", "admin"));
        await _scenario.TenantAsync(invitee, "invitee-home");
        var inviteeClient = _scenario.Client(await _scenario.TokenAsync("invitee-home", invitee, "read", "admin"));

        var created = await (await admin.PostAsJsonAsync("/api/v1/tenants/inviting/invitations", new { email = "invitee@example.test", role = "Developer" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var secret = created.GetProperty("link").GetString()!.Split('/').Last();

        var accepted = await inviteeClient.PostAsync($"/api/v1/invitations/{secret}/accept", null, Ct);
        var again = await inviteeClient.PostAsync($"/api/v1/invitations/{secret}/accept", null, Ct);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        await using var db = portal.CreateDbContext();
        var membership = await db.Memberships.IgnoreQueryFilters().SingleAsync(m => m.UserId == invitee.Id && m.Tenant!.Slug == "inviting", Ct);
        Assert.Equal(TenantRole.Developer, membership.Role);
    }

    [Fact]
    public async Task The_last_owner_can_neither_leave_nor_be_demoted()
    {
        var owner = await _scenario.UserAsync("lonely@example.test");
        await _scenario.TenantAsync(owner, "lonely");
        var client = _scenario.Client(await _scenario.TokenAsync("lonely", owner, "read", "admin"));

        var leave = await client.DeleteAsync($"/api/v1/tenants/lonely/members/{owner.Id}", Ct);
        var demote = await client.PatchAsJsonAsync($"/api/v1/tenants/lonely/members/{owner.Id}", new { role = "Admin" }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, leave.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, demote.StatusCode);
        Assert.Contains("at least one Owner", await leave.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task With_a_second_owner_the_first_may_leave()
    {
        var first = await _scenario.UserAsync("first-owner@example.test");
        var second = await _scenario.UserAsync("second-owner@example.test");
        await _scenario.TenantAsync(first, "two-owners");
        await _scenario.AddMemberAsync("two-owners", second, TenantRole.Owner);
        var client = _scenario.Client(await _scenario.TokenAsync("two-owners", first, "read"));

        var leave = await client.DeleteAsync($"/api/v1/tenants/two-owners/members/{first.Id}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, leave.StatusCode);
        await using var db = portal.CreateDbContext();
        var actions = await db.AuditEvents.IgnoreQueryFilters().Where(a => db.Tenants.Any(t => t.Id == a.TenantId && t.Slug == "two-owners"))
            .OrderBy(a => a.Sequence).Select(a => a.Action).ToListAsync(Ct);
        // tenant.create, token.create, then exactly one event for leaving.
        Assert.Equal(["tenant.create", "token.create", "member.leave"], actions);
    }
}
