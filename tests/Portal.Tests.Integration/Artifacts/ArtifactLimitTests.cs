using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Billing;
using Portal.Testing;
using Portal.Testing.Billing;
using Portal.Testing.Actors;

namespace Portal.Tests.Integration.Artifacts;

/// <summary>A portal with small limits: 64 KiB per artifact (a setting), 100 KiB of storage per tenant (its default plan).</summary>
public sealed class SmallQuotaPortal(PortalServers servers) : PortalWebFactory(servers)
{
    public const long MaxArtifactBytes = 64 * 1024;
    public const long StorageBytes = 100 * 1024;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await this.CapDefaultPlanAsync((BillingUnit.ArtifactStorageBytes, StorageBytes));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Portal:Quotas:MaxArtifactBytes", MaxArtifactBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>The per-artifact size limit and the storage quota, enforced while the body streams in.</summary>
public sealed class ArtifactLimitTests(SmallQuotaPortal portal) : IClassFixture<SmallQuotaPortal>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpClient> DeveloperAsync(string slug)
    {
        var scenario = new PortalScenario(portal);
        var owner = await scenario.UserAsync($"owner@{slug}.test");
        await scenario.TenantAsync(owner, slug);
        return scenario.Client(await scenario.TokenAsync(slug, owner, "read", "write"));
    }

    /// <summary>A valid core module padded with a custom section to about <paramref name="size"/> bytes.</summary>
    private static byte[] ModuleOfSize(int size, byte fill)
    {
        var payload = size - 8 - 6 - 2;
        var module = new List<byte> { 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x00 };
        var content = new List<byte> { 1, (byte)'x' };
        content.AddRange(Enumerable.Repeat(fill, payload));
        var length = (uint)content.Count;
        while (true)
        {
            var b = (byte)(length & 0x7F);
            length >>= 7;
            module.Add(length == 0 ? b : (byte)(b | 0x80));
            if (length == 0) break;
        }

        module.AddRange(content);
        return module.ToArray();
    }

    /// <summary>A body of unknown length (chunked), so only the reading itself can notice the limit.</summary>
    private sealed class UnsizedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task A_declared_length_past_the_limit_is_refused_with_413()
    {
        var api = await DeveloperAsync("limit-declared");
        var content = new ByteArrayContent(ModuleOfSize(80 * 1024, 1));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");

        var response = await api.PostAsync("/api/v1/tenants/limit-declared/artifacts?name=big&tag=1", content, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("64 KiB", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString());
        await AssertNothingStoredAsync("limit-declared");
    }

    [Fact]
    public async Task A_stream_cut_off_at_the_size_limit_is_refused_and_leaves_nothing()
    {
        var api = await DeveloperAsync("limit-stream");

        var response = await api.PostAsync("/api/v1/tenants/limit-stream/artifacts?name=big&tag=1", new UnsizedContent(ModuleOfSize(80 * 1024, 2)), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await AssertNothingStoredAsync("limit-stream");
    }

    [Fact]
    public async Task Uploads_past_the_storage_quota_are_refused_and_leave_nothing()
    {
        var api = await DeveloperAsync("limit-quota");
        var first = ModuleOfSize(60 * 1024, 3);
        var second = ModuleOfSize(60 * 1024, 4);

        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/api/v1/tenants/limit-quota/artifacts?name=first&tag=1", new UnsizedContent(first), Ct)).StatusCode);
        var refused = await api.PostAsync("/api/v1/tenants/limit-quota/artifacts?name=second&tag=1", new UnsizedContent(second), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("/problems/quota-exceeded", problem.GetProperty("type").GetString());
        Assert.Contains("quota", problem.GetProperty("detail").GetString());
        await using var db = portal.CreateDbContext();
        Assert.False(await db.Artifacts.IgnoreQueryFilters().AnyAsync(a => a.Name == "second", Ct));
        Assert.Equal(0, await db.BlobChunks.CountAsync(c => !db.Blobs.IgnoreQueryFilters().Any(b => b.Id == c.BlobId), Ct));
    }

    private async Task AssertNothingStoredAsync(string slug)
    {
        await using var db = portal.CreateDbContext();
        var tenant = await db.Tenants.SingleAsync(t => t.Slug == slug, Ct);
        Assert.Equal(0, await db.Artifacts.IgnoreQueryFilters().CountAsync(a => a.TenantId == tenant.Id, Ct));
        Assert.Equal(0, await db.Blobs.IgnoreQueryFilters().CountAsync(b => b.TenantId == tenant.Id, Ct));
        Assert.Equal(0, await db.BlobChunks.CountAsync(c => !db.Blobs.IgnoreQueryFilters().Any(b => b.Id == c.BlobId), Ct));
    }
}
