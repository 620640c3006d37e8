using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;
using Portal.Testing;
using Portal.Testing.Processes;

namespace Benchmarks.Api;

/// <summary>
/// S6: what the REST conventions cost. A creating POST (validation, audit row, one transaction,
/// over HTTP) against the floor of a raw one-row Npgsql insert plus a bare Kestrel hello; a list
/// GET of 50 over 1,000 rows against the same query hand-written in SQL plus the hello.
/// Run with <c>./portal bench s6</c>; figures and ratios come from one run on this machine.
/// </summary>
internal static class S6ApiLatency
{
    private const int Rows = 1000;
    private const int Warmup = 50;

    public static async Task<int> RunAsync()
    {
        // Measure the pipeline, not the limiter: thousands of requests a minute from one token.
        Environment.SetEnvironmentVariable("Portal__RequestsPerMinutePerToken", "1000000");
        Environment.SetEnvironmentVariable("Portal__RequestsPerMinutePerTenant", "1000000");
        Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
        var servers = new PortalServers();
        await servers.InitializeAsync();
        try
        {
            await using var portal = new PortalWebServer(servers);
            await portal.InitializeAsync();
            var scenario = new PortalScenario(portal);
            var owner = await scenario.UserAsync("bench@example.test");
            await scenario.TenantAsync(owner, "bench");
            var token = await scenario.TokenAsync("bench", owner, "read", "admin");
            using var api = new HttpClient { BaseAddress = new Uri(portal.BaseUrl) };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

            await using var hello = await StartHelloAsync();
            using var helloClient = new HttpClient { BaseAddress = new Uri(hello.Urls.First()) };
            await using var sql = new NpgsqlConnection(portal.ConnectionString);
            await sql.OpenAsync();
            await new NpgsqlCommand("CREATE TABLE bench_rows (id uuid PRIMARY KEY, name text NOT NULL, created timestamptz NOT NULL)", sql).ExecuteNonQueryAsync();
            var tenantId = (Guid)(await new NpgsqlCommand("SELECT \"Id\" FROM tenants WHERE \"Slug\" = 'bench'", sql).ExecuteScalarAsync())!;

            var post = await LatencySample.MeasureAsync("POST /lattices (validate, audit, 1 tx)", Warmup, Rows, async i =>
                (await api.PostAsJsonAsync("/api/v1/tenants/bench/lattices", new { name = $"env{i}" })).EnsureSuccessStatusCode());
            var helloSample = await LatencySample.MeasureAsync("bare Kestrel hello", Warmup, Rows, async _ =>
                (await helloClient.GetAsync("/hello")).EnsureSuccessStatusCode());
            var insert = await LatencySample.MeasureAsync("raw Npgsql one-row insert", Warmup, Rows, async _ =>
            {
                await using var command = new NpgsqlCommand("INSERT INTO bench_rows VALUES ($1, $2, now())", sql) { Parameters = { new() { Value = Guid.NewGuid() }, new() { Value = "row" } } };
                await command.ExecuteNonQueryAsync();
            });

            var list = await LatencySample.MeasureAsync("GET /audit?limit=50 over 1,000+ rows", Warmup, Rows, async _ =>
                (await api.GetAsync("/api/v1/tenants/bench/audit?limit=50")).EnsureSuccessStatusCode());
            var select = await LatencySample.MeasureAsync("hand-written SELECT … LIMIT 51", Warmup, Rows, async _ =>
            {
                await using var command = new NpgsqlCommand("""
                    SELECT "Sequence", "OccurredAt", "ActorType", "ActorId", "ActorName", "Action", "TargetType", "TargetId", "Before", "After", "IpAddress", "UserAgent", "CorrelationId", "Hash"
                    FROM audit_events WHERE "TenantId" = $1 ORDER BY "Sequence" DESC LIMIT 51
                    """, sql) { Parameters = { new() { Value = tenantId } } };
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) { }
            });

            Console.WriteLine();
            Console.WriteLine("S6 — REST API latency (sequential requests over loopback, one run)");
            foreach (var s in new[] { post, insert, helloSample, list, select }) Console.WriteLine("  " + s);
            var writeFloor = insert.Percentile(99) + helloSample.Percentile(99);
            var readFloor = select.Percentile(99) + helloSample.Percentile(99);
            Console.WriteLine($"  write p99 ratio: {post.Percentile(99) / writeFloor:F2}x of (insert + hello)   target ≤ 2x");
            Console.WriteLine($"  read  p99 ratio: {list.Percentile(99) / readFloor:F2}x of (SQL + hello)      target ≤ 1.5x");
            return 0;
        }
        finally
        {
            await servers.DisposeAsync();
        }
    }

    private static async Task<WebApplication> StartHelloAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort.Next()}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/hello", () => Results.Text("hello"));
        await app.StartAsync();
        return app;
    }
}
