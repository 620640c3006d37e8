using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Api.Http.Idempotency;
using Portal.Data.Http;
using Portal.Testing;

namespace Portal.Tests.Integration.Api;

public sealed class IdempotencyTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private readonly PortalScenario _scenario = new(portal);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequestMessage Post(string slug, string name, string key) => new(HttpMethod.Post, $"/api/v1/tenants/{slug}/lattices")
    {
        Content = JsonContent.Create(new { name }),
        Headers = { { IdempotencyMiddleware.Header, key } },
    };

    [Fact]
    public async Task Concurrent_duplicates_with_one_key_run_once()
    {
        var owner = await _scenario.UserAsync("dup@example.test");
        await _scenario.TenantAsync(owner, "dup");
        var token = await _scenario.TokenAsync("dup", owner, "admin");
        var clients = Enumerable.Range(0, 8).Select(_ => _scenario.Client(token)).ToList();

        var responses = await Task.WhenAll(clients.Select(c => c.SendAsync(Post("dup", "burst", "same-key"), Ct)));

        // Exactly one ran; the others replayed its answer or, had it still been running after the
        // wait, were told so. Had two run, the second would have hit "already exists" instead.
        var created = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ToList();
        Assert.Single(created, r => !r.Headers.Contains("Idempotent-Replayed"));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("in progress", await refused.Content.ReadAsStringAsync(Ct));
        }

        var bodies = await Task.WhenAll(created.Select(r => r.Content.ReadAsStringAsync(Ct)));
        Assert.Single(bodies.Distinct());
        await using var db = portal.CreateDbContext();
        Assert.Equal(1, await db.Lattices.IgnoreQueryFilters().CountAsync(l => l.Name == "burst" && l.Tenant!.Slug == "dup", Ct));
        Assert.Equal(1, await db.AuditEvents.IgnoreQueryFilters().CountAsync(a => a.Action == "lattice.create" && a.TargetId == "burst", Ct));
    }

    [Fact]
    public async Task A_failed_request_frees_its_key_for_a_retry()
    {
        var owner = await _scenario.UserAsync("retry@example.test");
        await _scenario.TenantAsync(owner, "retry");
        var client = _scenario.Client(await _scenario.TokenAsync("retry", owner, "admin"));
        // Two requests that differ only in what the client fixed between them would hash apart, so
        // the retry here is the very same request: it failed first because the name was taken.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/tenants/retry/lattices", new { name = "taken" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.SendAsync(Post("retry", "taken", "k1"), Ct)).StatusCode);
        await using (var db = portal.CreateDbContext())
        {
            Assert.False(await db.IdempotencyRecords.AnyAsync(r => r.Key == "k1", Ct));
            await db.Lattices.IgnoreQueryFilters().Where(l => l.Name == "taken").ExecuteDeleteAsync(Ct);
        }

        var retried = await client.SendAsync(Post("retry", "taken", "k1"), Ct);

        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.False(retried.Headers.Contains("Idempotent-Replayed"));
    }
}

/// <summary>Idempotency with a short wait and a fast purge, so the slow paths run in a test's time.</summary>
public sealed class IdempotencyPurgeTests(IdempotencyPurgeTests.Portal portal) : IClassFixture<IdempotencyPurgeTests.Portal>
{
    private readonly PortalScenario _scenario = new(portal);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed class Portal(PortalServers servers) : PortalWebFactory(servers)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Portal:Idempotency:Wait", "00:00:00.2");
            builder.UseSetting("Portal:Idempotency:Retention", "01:00:00");
            builder.UseSetting("Portal:Idempotency:PurgeInterval", "00:00:00.2");
        }
    }

    [Fact]
    public async Task A_key_still_in_progress_gets_409_after_the_wait()
    {
        var owner = await _scenario.UserAsync("slow@example.test");
        await _scenario.TenantAsync(owner, "slow");
        var token = await _scenario.TokenAsync("slow", owner, "admin");
        var client = _scenario.Client(token);
        var request = Post("slow-key", "prod");
        // A first request that has reserved the key and not finished: its row, as it would leave it.
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(request(), Ct)).StatusCode);
        await using (var db = portal.CreateDbContext())
        {
            await db.IdempotencyRecords.Where(r => r.Key == "slow-key").ExecuteUpdateAsync(s => s.SetProperty(r => r.StatusCode, IdempotencyRecord.InProgress), Ct);
        }

        var duplicate = await client.SendAsync(request(), Ct);

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Contains("in progress", await duplicate.Content.ReadAsStringAsync(Ct));
        await using var after = portal.CreateDbContext();
        Assert.Equal(1, await after.Lattices.IgnoreQueryFilters().CountAsync(l => l.Name == "prod" && l.Tenant!.Slug == "slow", Ct));

        static Func<HttpRequestMessage> Post(string key, string name) => () => new(HttpMethod.Post, "/api/v1/tenants/slow/lattices")
        {
            Content = JsonContent.Create(new { name }),
            Headers = { { IdempotencyMiddleware.Header, key } },
        };
    }

    [Fact]
    public async Task A_purge_pass_deletes_expired_records_and_keeps_fresh_ones()
    {
        // Both younger than this portal's one-hour retention, so its own purge leaves them alone. A
        // pass whose clock is an hour ahead, keeping 75 minutes, has its cutoff 15 minutes ago.
        await SeedAsync("older-a", TimeSpan.FromMinutes(30));
        await SeedAsync("newer-a", TimeSpan.Zero);
        var later = new ShiftedClock(TimeSpan.FromHours(1));
        var pass = new IdempotencyPurgeService(
            portal.Services.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new IdempotencyOptions { Retention = TimeSpan.FromMinutes(75) }),
            later,
            NullLogger<IdempotencyPurgeService>.Instance);

        var purged = await pass.PurgeOnceAsync(Ct);

        Assert.Equal(1, purged);
        Assert.Equal(["newer-a"], await KeysAsync("-a"));
    }

    [Fact]
    public async Task The_purge_runs_by_itself_on_its_interval()
    {
        await SeedAsync("expired-b", TimeSpan.FromDays(2));
        await SeedAsync("fresh-b", TimeSpan.Zero);
        // The factory starts the portal (and so its background services) lazily, on first use of
        // its services or a client; seeding goes straight to the database, so start it here.
        _ = portal.Services;

        // The service ticks every 200 ms here; wait (bounded) for it to have done its work.
        for (var i = 0; i < 300 && (await KeysAsync("-b")).Contains("expired-b"); i++) await Task.Delay(100, Ct);

        Assert.Equal(["fresh-b"], await KeysAsync("-b"));
    }

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
    }

    private async Task SeedAsync(string key, TimeSpan age)
    {
        await using var db = portal.CreateDbContext();
        db.IdempotencyRecords.Add(new IdempotencyRecord
        {
            Principal = "seeded",
            Key = key,
            RequestHash = new string('0', 64),
            StatusCode = 201,
            ResponseBody = "{}",
            CreatedAt = DateTimeOffset.UtcNow - age,
        });
        await db.SaveChangesAsync(Ct);
    }

    private async Task<List<string>> KeysAsync(string suffix)
    {
        await using var db = portal.CreateDbContext();
        return await db.IdempotencyRecords.Where(r => r.Principal == "seeded" && r.Key.EndsWith(suffix)).Select(r => r.Key).OrderBy(k => k).ToListAsync(Ct);
    }
}
