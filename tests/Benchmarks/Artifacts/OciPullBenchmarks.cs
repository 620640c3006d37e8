using System.Data;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Npgsql;
using Portal.Lattice.Oci;
using Portal.Testing;

namespace Benchmarks.Artifacts;

/// <summary>
/// S8: pulling a 10 MiB blob through the portal's OCI API (<c>GET /v2/{tenant}/{name}/blobs/{digest}</c>
/// over loopback: token check, tenant scope, chunk rows streamed from Postgres into the response)
/// against the floor of reading the same chunk rows straight from Postgres with Npgsql. A third
/// row is what our host does: the same GET through <see cref="OciRegistryClient"/>, which also
/// verifies the sha256. Throughput = 10 MiB / Mean.
/// </summary>
[Config(typeof(InProcessConfig))]
[MemoryDiagnoser]
public class OciPullBenchmarks
{
    private const int BlobBytes = 10 * 1024 * 1024;
    private PortalServers _servers = null!;
    private PortalWebServer _portal = null!;
    private HttpClient _http = null!;
    private NpgsqlConnection _sql = null!;
    private Guid _tenantId;
    private string _digest = "";
    private string _token = "";

    // Synchronous wrappers: the in-process toolchain does not await async setup methods.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
        _servers = new PortalServers();
        await _servers.InitializeAsync();
        _portal = new PortalWebServer(_servers);
        await _portal.InitializeAsync();
        var scenario = new PortalScenario(_portal);
        var owner = await scenario.UserAsync("bench@example.test");
        await scenario.TenantAsync(owner, "bench");
        _token = await scenario.TokenAsync("bench", owner, "read", "write");

        _http = new HttpClient { BaseAddress = new Uri(_portal.BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        var blob = RandomNumberGenerator.GetBytes(BlobBytes);
        _digest = OciDigest.Of(blob);
        var push = await _http.PostAsync($"/v2/bench/blob/blobs/uploads/?digest={_digest}", new ByteArrayContent(blob));
        push.EnsureSuccessStatusCode();

        _sql = new NpgsqlConnection(_portal.ConnectionString);
        await _sql.OpenAsync();
        await using var tenant = new NpgsqlCommand("SELECT \"Id\" FROM tenants WHERE \"Slug\" = 'bench'", _sql);
        _tenantId = (Guid)(await tenant.ExecuteScalarAsync())!;
        if (await OciGetAsync() != BlobBytes || await PostgresAsync() != BlobBytes) throw new InvalidOperationException("the blob did not round-trip");
    }

    private async Task CleanupAsync()
    {
        _http.Dispose();
        await _sql.DisposeAsync();
        await _portal.DisposeAsync();
        await _servers.DisposeAsync();
    }

    /// <summary>The chunk rows of the blob, read sequentially on an open connection: the floor any pull pays.</summary>
    [Benchmark(Baseline = true, Description = "Postgres: chunk rows via Npgsql")]
    public async Task<long> PostgresAsync()
    {
        await using var command = new NpgsqlCommand("""
            SELECT c."Data" FROM blobs b JOIN blob_chunks c ON c."BlobId" = b."Id"
            WHERE b."TenantId" = $1 AND b."Digest" = $2 ORDER BY c."Index"
            """, _sql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = _tenantId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _digest });
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess);
        var buffer = new byte[81920];
        long total = 0;
        while (await reader.ReadAsync())
        {
            await using var data = await reader.GetStreamAsync(0);
            int read;
            while ((read = await data.ReadAsync(buffer)) > 0) total += read;
        }

        return total;
    }

    [Benchmark(Description = "OCI: GET /v2/…/blobs/{digest}")]
    public async Task<long> OciGetAsync()
    {
        using var response = await _http.GetAsync($"/v2/bench/blob/blobs/{_digest}", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0) total += read;
        return total;
    }

    [Benchmark(Description = "OCI: host client, sha256 verified")]
    public async Task<long> OciClientAsync()
    {
        var reference = OciReference.Parse($"{new Uri(_portal.BaseUrl).Authority}/bench/blob@{_digest}");
        var client = new OciRegistryClient(_http, reference, new OciCredential("bench", _token), plainHttp: true);
        return (await client.GetBlobAsync(new OciDescriptor("application/wasm", _digest, BlobBytes))).LongLength;
    }
}
