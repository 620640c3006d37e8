using Portal.Data.Billing;
using Portal.Testing.Billing;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Benchmarks.Api;
using Npgsql;
using Portal.Testing;
using Portal.Testing.Actors;

namespace Benchmarks.Artifacts;

/// <summary>
/// Artifacts: upload + inspect + store of the ~13 MB componentize-js component over REST, against
/// the least any upload must do with the same bytes: SHA-256 over them plus one raw Npgsql insert
/// of them. Each upload carries different bytes (a custom section with its number), so every one
/// is stored, none deduplicated. Run with <c>./portal bench artifacts</c>.
/// </summary>
internal static class UploadBenchmark
{
    private const int Warmup = 3;
    private const int Count = 20;

    public static async Task<int> RunAsync()
    {
        Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
        var component = await ActorBuilder.HttpComponentAsync("hello-component", default);
        var servers = new PortalServers();
        await servers.InitializeAsync();
        try
        {
            await using var portal = new PortalWebServer(servers);
            await portal.InitializeAsync();
            await portal.UncapDefaultPlanAsync(BillingUnit.ArtifactStorageBytes, BillingUnit.ArtifactCount, BillingUnit.ApiRequestsPerMinute);
            var scenario = new PortalScenario(portal);
            var owner = await scenario.UserAsync("bench@example.test");
            await scenario.TenantAsync(owner, "bench");
            using var api = new HttpClient { BaseAddress = new Uri(portal.BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await scenario.TokenAsync("bench", owner, "read", "write"));
            await using var sql = new NpgsqlConnection(portal.ConnectionString);
            await sql.OpenAsync();
            await new NpgsqlCommand("CREATE TABLE bench_bytes (id uuid PRIMARY KEY, data bytea NOT NULL)", sql).ExecuteNonQueryAsync();

            var upload = new LatencySample("POST /artifacts (stream, inspect, store, audit)", async i =>
            {
                using var content = new ByteArrayContent(Numbered(component, i));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
                (await api.PostAsync($"/api/v1/tenants/bench/artifacts?name=component&tag=t{i}", content)).EnsureSuccessStatusCode();
            });
            var floor = new LatencySample("SHA-256 + raw Npgsql insert of the bytes", async i =>
            {
                var bytes = Numbered(component, i);
                SHA256.HashData(bytes);
                await using var insert = new NpgsqlCommand("INSERT INTO bench_bytes VALUES ($1, $2)", sql) { Parameters = { new() { Value = Guid.NewGuid() }, new() { Value = bytes } } };
                await insert.ExecuteNonQueryAsync();
            });
            await LatencySample.MeasureInterleavedAsync(Warmup, Count, upload, floor);

            Console.WriteLine();
            Console.WriteLine($"Artifacts — upload of a {component.Length / 1024.0 / 1024.0:F1} MiB component (sequential, one run)");
            foreach (var s in new[] { upload, floor }) Console.WriteLine("  " + s);
            Console.WriteLine($"  p50 ratio: {upload.Percentile(50) / floor.Percentile(50):F2}x of (SHA-256 + insert)");
            Console.WriteLine($"  throughput: {component.Length / (upload.Percentile(50) / 1e6) / 1024 / 1024:F0} MiB/s upload vs {component.Length / (floor.Percentile(50) / 1e6) / 1024 / 1024:F0} MiB/s floor");
            return 0;
        }
        finally
        {
            await servers.DisposeAsync();
        }
    }

    /// <summary>The component with a custom section "bench" holding <paramref name="i"/> appended: still valid, different digest.</summary>
    private static byte[] Numbered(byte[] wasm, int i)
    {
        byte[] section = [0x00, 0x0A, 0x05, (byte)'b', (byte)'e', (byte)'n', (byte)'c', (byte)'h', .. BitConverter.GetBytes(i)];
        return [.. wasm, .. section];
    }
}
