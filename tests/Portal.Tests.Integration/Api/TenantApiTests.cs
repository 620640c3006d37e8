using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Tenants;
using Portal.Testing;

namespace Portal.Tests.Integration.Api;

public sealed class TenantApiTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private readonly PortalScenario _scenario = new(portal);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Creating_a_tenant_makes_the_caller_owner_and_writes_one_audit_event()
    {
        var owner = await _scenario.UserAsync("creator@example.test");
        await _scenario.TenantAsync(owner, "home-base");
        var token = await _scenario.TokenAsync("home-base", owner, "read", "admin");

        var response = await _scenario.Client(token).PostAsJsonAsync("/api/v1/tenants", new { slug = "acme", displayName = "Acme" }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/v1/tenants/acme", response.Headers.Location?.ToString());
        await using var db = portal.CreateDbContext();
        var tenant = await db.Tenants.IgnoreQueryFilters().Include(t => t.Members).SingleAsync(t => t.Slug == "acme", Ct);
        Assert.Equal(TenantRole.Owner, Assert.Single(tenant.Members).Role);
        var audit = Assert.Single(await db.AuditEvents.IgnoreQueryFilters().Where(a => a.TenantId == tenant.Id).ToListAsync(Ct));
        Assert.Equal("tenant.create", audit.Action);
        Assert.Equal("token", audit.ActorType);
    }

    [Fact]
    public async Task Bad_input_gets_field_errors_and_changes_nothing()
    {
        var owner = await _scenario.UserAsync("bad-input@example.test");
        await _scenario.TenantAsync(owner, "bad-input");
        var token = await _scenario.TokenAsync("bad-input", owner, "admin");
        await using var db = portal.CreateDbContext();
        var before = (await db.Tenants.CountAsync(Ct), await db.AuditEvents.IgnoreQueryFilters().CountAsync(Ct), await db.Memberships.IgnoreQueryFilters().CountAsync(Ct));

        var response = await _scenario.Client(token).PostAsJsonAsync("/api/v1/tenants", new { slug = "Not A Slug!", displayName = "" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("slug", out _));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("displayName", out _));
        Assert.Equal(before, (await db.Tenants.CountAsync(Ct), await db.AuditEvents.IgnoreQueryFilters().CountAsync(Ct), await db.Memberships.IgnoreQueryFilters().CountAsync(Ct)));
    }

    [Fact]
    public async Task A_taken_slug_is_a_conflict()
    {
        var owner = await _scenario.UserAsync("dupe@example.test");
        await _scenario.TenantAsync(owner, "taken");
        var token = await _scenario.TokenAsync("taken", owner, "admin");

        var response = await _scenario.Client(token).PostAsJsonAsync("/api/v1/tenants", new { slug = "taken", displayName = "Again" }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("taken", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A_stale_if_match_is_refused_with_412_and_a_fresh_one_succeeds()
    {
        var owner = await _scenario.UserAsync("etag@example.test");
        await _scenario.TenantAsync(owner, "etag");
        var client = _scenario.Client(await _scenario.TokenAsync("etag", owner, "read", "admin"));

        var read = await client.GetAsync("/api/v1/tenants/etag", Ct);
        var etag = read.Headers.ETag!.Tag;
        var first = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/tenants/etag") { Content = JsonContent.Create(new { displayName = "First" }) };
        first.Headers.IfMatch.ParseAdd(etag);
        var firstResponse = await client.SendAsync(first, Ct);
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        Assert.NotEqual(etag, firstResponse.Headers.ETag!.Tag);

        var stale = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/tenants/etag") { Content = JsonContent.Create(new { displayName = "Second" }) };
        stale.Headers.IfMatch.ParseAdd(etag);
        var staleResponse = await client.SendAsync(stale, Ct);

        Assert.Equal(HttpStatusCode.PreconditionFailed, staleResponse.StatusCode);
        await using var db = portal.CreateDbContext();
        Assert.Equal("First", (await db.Tenants.SingleAsync(t => t.Slug == "etag", Ct)).DisplayName);
    }

    [Fact]
    public async Task A_retried_post_with_the_same_idempotency_key_creates_once()
    {
        var owner = await _scenario.UserAsync("idem@example.test");
        await _scenario.TenantAsync(owner, "idem");
        var client = _scenario.Client(await _scenario.TokenAsync("idem", owner, "admin"));

        HttpRequestMessage Post(string name) => new(HttpMethod.Post, "/api/v1/tenants/idem/lattices")
        {
            Content = JsonContent.Create(new { name }),
            Headers = { { "Idempotency-Key", "create-staging-1" } },
        };
        var first = await client.SendAsync(Post("staging"), Ct);
        var retry = await client.SendAsync(Post("staging"), Ct);
        var misuse = await client.SendAsync(Post("other"), Ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(Ct), await retry.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, misuse.StatusCode);
        await using var db = portal.CreateDbContext();
        Assert.Equal(1, await db.Lattices.IgnoreQueryFilters().CountAsync(l => l.Name == "staging" && l.Tenant!.Slug == "idem", Ct));
    }

    [Fact]
    public async Task Lists_are_cursor_paged()
    {
        var owner = await _scenario.UserAsync("pages@example.test");
        await _scenario.TenantAsync(owner, "pages");
        var client = _scenario.Client(await _scenario.TokenAsync("pages", owner, "read", "admin"));
        for (var i = 0; i < 5; i++) await client.PostAsJsonAsync("/api/v1/tenants/pages/lattices", new { name = $"env{i}" }, Ct);

        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/pages/audit?limit=2&cursor={cursor}", Ct);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        // tenant.create, the token, and five lattices: newest first, each once.
        Assert.Equal([7, 6, 5, 4, 3, 2, 1], seen);
        var badLimit = await client.GetAsync("/api/v1/tenants/pages/audit?limit=0", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
    }
}
