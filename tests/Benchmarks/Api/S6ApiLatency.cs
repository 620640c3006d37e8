using Portal.Data.Billing;
using Portal.Testing.Billing;
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
/// <remarks>
/// Also printed, for reading the write ratio: the POST's own SQL work (lock and read the audit
/// chain's head, insert the lattice and its audit event, commit) hand-written in the fewest round
/// trips, and the round trips the portal actually makes per request.
/// </remarks>
internal static class S6ApiLatency
{
    private const int Rows = 1000;
    private const int Warmup = 300;

    public static async Task<int> RunAsync()
    {
        // Measure the pipeline, not the limiter: thousands of requests a minute from one token.
        Environment.SetEnvironmentVariable("Portal__RequestsPerMinutePerToken", "1000000");
        Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
        var servers = new PortalServers();
        await servers.InitializeAsync();
        try
        {
            // Production, as deployed: Development adds the developer exception page and checks
            // every scoped service resolution, which no real portal pays for.
            await using var portal = new PortalWebServer(servers) { EnvironmentName = "Production" };
            await portal.InitializeAsync();
            // The tenant's plan would cap its rate and its lattices; the benchmark creates a thousand.
            await portal.UncapDefaultPlanAsync(BillingUnit.ApiRequestsPerMinute, BillingUnit.Lattices);
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
            var sqlTenant = await HandWrittenTenantAsync(portal.ConnectionString);
            await using var sqlTenantConnection = sqlTenant.Connection;

            var post = new LatencySample("POST /lattices (validate, audit, 1 tx)", async i =>
                (await api.PostAsJsonAsync("/api/v1/tenants/bench/lattices", new { name = $"env{i}" })).EnsureSuccessStatusCode());
            var helloSample = new LatencySample("bare Kestrel hello", async _ =>
                (await helloClient.GetAsync("/hello")).EnsureSuccessStatusCode());
            var insert = new LatencySample("raw Npgsql one-row insert", async _ =>
            {
                await using var command = new NpgsqlCommand("INSERT INTO bench_rows VALUES ($1, $2, now())", sql) { Parameters = { new() { Value = Guid.NewGuid() }, new() { Value = "row" } } };
                await command.ExecuteNonQueryAsync();
            });
            var tokenId = Guid.ParseExact(token.Split('_')[1], "N");
            var transaction = new LatencySample("same work hand-written (token + tx, 4 trips)", async i =>
            {
                await HandWrittenTokenLookupAsync(sqlTenant.Connection, tokenId);
                await HandWrittenCreateAsync(sqlTenant.Connection, sqlTenant.TenantId, i);
            });
            await LatencySample.MeasureInterleavedAsync(Warmup, Rows, post, insert, helloSample, transaction);

            var list = new LatencySample("GET /audit?limit=50 over 1,000+ rows", async _ =>
                (await api.GetAsync("/api/v1/tenants/bench/audit?limit=50")).EnsureSuccessStatusCode());
            var select = new LatencySample("hand-written SELECT … LIMIT 51", async _ =>
            {
                await using var command = new NpgsqlCommand("""
                    SELECT "Sequence", "OccurredAt", "ActorType", "ActorId", "ActorName", "Action", "TargetType", "TargetId", "Before", "After", "IpAddress", "UserAgent", "CorrelationId", "Hash"
                    FROM audit_events WHERE "TenantId" = $1 ORDER BY "Sequence" DESC LIMIT 51
                    """, sql) { Parameters = { new() { Value = tenantId } } };
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) { }
            });
            var readHello = new LatencySample("bare Kestrel hello", async _ =>
                (await helloClient.GetAsync("/hello")).EnsureSuccessStatusCode());
            var authedSelect = new LatencySample("same work hand-written (token + SELECT)", async _ =>
            {
                await HandWrittenTokenLookupAsync(sql, tokenId);
                await select.RunOnceAsync();
            });
            await LatencySample.MeasureInterleavedAsync(Warmup, Rows, list, select, readHello, authedSelect);

            // Where the time goes: the same requests again, with the database round trips recorded.
            using var trips = new RoundTripCounter();
            var postTrips = await ProfileAsync("POST /lattices", trips, 200, async i =>
                (await api.PostAsJsonAsync("/api/v1/tenants/bench/lattices", new { name = $"prof{i}" })).EnsureSuccessStatusCode());
            var listTrips = await ProfileAsync("GET /audit", trips, 200, async _ =>
                (await api.GetAsync("/api/v1/tenants/bench/audit?limit=50")).EnsureSuccessStatusCode());

            Console.WriteLine();
            Console.WriteLine("S6 — REST API latency (sequential requests over loopback, samples interleaved, one run)");
            Console.WriteLine($"  GC: {(System.Runtime.GCSettings.IsServerGC ? "server, as portal-web runs" : "workstation (portal-web runs server GC: use ./portal bench s6)")}");
            foreach (var s in new[] { post, insert, helloSample, transaction }) Console.WriteLine("  " + s);
            foreach (var s in new[] { list, select, readHello, authedSelect }) Console.WriteLine("  " + s);
            var writeFloor = insert.Percentile(99) + helloSample.Percentile(99);
            var readFloor = select.Percentile(99) + readHello.Percentile(99);
            Console.WriteLine($"  write p99 ratio: {post.Percentile(99) / writeFloor:F2}x of (insert + hello)   target ≤ 2x   (p50 {post.Percentile(50) / (insert.Percentile(50) + helloSample.Percentile(50)):F2}x)");
            Console.WriteLine($"  read  p99 ratio: {list.Percentile(99) / readFloor:F2}x of (SQL + hello)      target ≤ 1.5x (p50 {list.Percentile(50) / (select.Percentile(50) + readHello.Percentile(50)):F2}x)");
            // Not the targets: the same database work written by hand (token lookup, then the
            // transaction or the SELECT) plus the hello, to show what the framework layers cost.
            Console.WriteLine($"  write vs same work hand-written + hello: p99 {post.Percentile(99) / (transaction.Percentile(99) + helloSample.Percentile(99)):F2}x, p50 {post.Percentile(50) / (transaction.Percentile(50) + helloSample.Percentile(50)):F2}x");
            Console.WriteLine($"  read  vs same work hand-written + hello: p99 {list.Percentile(99) / (authedSelect.Percentile(99) + readHello.Percentile(99)):F2}x, p50 {list.Percentile(50) / (authedSelect.Percentile(50) + readHello.Percentile(50)):F2}x");
            Console.WriteLine(postTrips);
            Console.WriteLine(await ProfileAsync("hello", trips, 200, async _ => (await helloClient.GetAsync("/hello")).EnsureSuccessStatusCode()));
            Console.WriteLine(listTrips);
            return 0;
        }
        finally
        {
            await servers.DisposeAsync();
        }
    }

    /// <summary>A second tenant, so the hand-written transaction has its own audit chain to append to.</summary>
    private static async Task<(NpgsqlConnection Connection, Guid TenantId)> HandWrittenTenantAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var id = Guid.CreateVersion7();
        await using var command = new NpgsqlCommand("""INSERT INTO tenants ("Id", "Slug", "DisplayName", "CreatedAt") VALUES ($1, 'bench-sql', 'SQL', now())""", connection) { Parameters = { new() { Value = id } } };
        await command.ExecuteNonQueryAsync();
        return (connection, id);
    }

    /// <summary>What authenticating a token reads: the token, its user and the membership in its tenant.</summary>
    private static async Task HandWrittenTokenLookupAsync(NpgsqlConnection connection, Guid tokenId)
    {
        await using var command = new NpgsqlCommand("""
            SELECT t."SecretHash", t."TenantId", t."Scopes", t."ExpiresAt", t."RevokedAt", t."LastUsedAt", t."UserId", u."Email", u."IsPlatformAdmin", u."LockoutEnd", m."Role", n."Slug"
            FROM personal_access_tokens t JOIN "AspNetUsers" u ON u."Id" = t."UserId"
            LEFT JOIN memberships m ON m."TenantId" = t."TenantId" AND m."UserId" = t."UserId" LEFT JOIN tenants n ON n."Id" = m."TenantId"
            WHERE t."Id" = $1
            """, connection) { Parameters = { new() { Value = tokenId } } };
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) { }
    }

    /// <summary>The POST's SQL in three round trips: BEGIN + lock + chain head; both inserts; COMMIT.</summary>
    private static async Task HandWrittenCreateAsync(NpgsqlConnection connection, Guid tenantId, int i)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        long sequence = 0;
        var previous = new string('0', 64);
        await using (var head = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new("SELECT pg_advisory_xact_lock(hashtextextended($1, 7))") { Parameters = { new() { Value = tenantId.ToString() } } },
                new("""SELECT "Sequence", "Hash" FROM audit_events WHERE "TenantId" = $1 ORDER BY "Sequence" DESC LIMIT 1""") { Parameters = { new() { Value = tenantId } } },
            },
        })
        await using (var reader = await head.ExecuteReaderAsync())
        {
            await reader.NextResultAsync();
            if (await reader.ReadAsync()) (sequence, previous) = (reader.GetInt64(0), reader.GetString(1));
        }

        var name = $"sql{i}";
        await using (var inserts = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new("""INSERT INTO lattices ("Id", "TenantId", "Name", "LatticeId", "CreatedAt") VALUES ($1, $2, $3, $4, now())""")
                    { Parameters = { new() { Value = Guid.CreateVersion7() }, new() { Value = tenantId }, new() { Value = name }, new() { Value = "bench-sql-" + name } } },
                new("""
                    INSERT INTO audit_events ("TenantId", "Sequence", "OccurredAt", "ActorType", "ActorId", "ActorName", "Action", "TargetType", "TargetId", "After", "PreviousHash", "Hash")
                    VALUES ($1, $2, now(), 'token', 'bench', 'bench', 'lattice.create', 'lattice', $3, $4::json, $5, $6)
                    """)
                    { Parameters = { new() { Value = tenantId }, new() { Value = sequence + 1 }, new() { Value = name }, new() { Value = $$"""{"name":"{{name}}"}""" }, new() { Value = previous }, new() { Value = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(previous + name))) } } },
            },
        })
        {
            await inserts.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    /// <summary>Runs an operation <paramref name="count"/> times; the database round trips of the last one and their share of its time.</summary>
    private static async Task<string> ProfileAsync(string name, RoundTripCounter trips, int count, Func<int, Task> operation)
    {
        IReadOnlyList<(string Statement, TimeSpan Duration)> last = [];
        double total = 0, database = 0;
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < count; i++)
        {
            trips.Drain();
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            await operation(i);
            total += System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            last = trips.Drain();
            database += last.Sum(c => c.Duration.TotalMicroseconds);
        }

        cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var lines = last.Select(c => $"      {c.Duration.TotalMicroseconds,7:F0} µs  {Flatten(c.Statement)}");
        return $"  {name}: {last.Count} database round trips (commands; BEGIN rides with the first, COMMIT is one more); database {database / count:F0} µs of {total / count:F0} µs per request; CPU of this process (client and server) {cpu.TotalMicroseconds / count:F0} µs per request\n{string.Join("\n", lines)}";
    }

    private static string Flatten(string sql)
    {
        var line = string.Join(' ', sql.Split((char[])['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries));
        return line.Length > 110 ? line[..110] + "…" : line;
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
