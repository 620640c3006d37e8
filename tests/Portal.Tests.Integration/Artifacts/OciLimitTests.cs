using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Api.Artifacts.Oci;
using Portal.Api.Quotas;
using Portal.Testing;
using Portal.Testing.Actors;
using static Portal.Tests.Integration.Artifacts.OciTestClient;

namespace Portal.Tests.Integration.Artifacts;

/// <summary>
/// Limits on pushes (64 KiB per artifact, 100 KiB per tenant, uploads in progress included), enforced
/// while bodies stream, and the purge of what abandoned pushes leave behind.
/// </summary>
public sealed class OciLimitTests(SmallQuotaPortal portal) : IClassFixture<SmallQuotaPortal>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<OciTestClient> DeveloperAsync(string slug)
    {
        var scenario = new PortalScenario(portal);
        var owner = await scenario.UserAsync($"owner@{slug}.test");
        await scenario.TenantAsync(owner, slug);
        return new OciTestClient(portal.CreateClient(), Basic("ci", await scenario.TokenAsync(slug, owner, "read", "write")));
    }

    /// <summary>A body of unknown length (chunked): only reading it can find out it is too large.</summary>
    private sealed class UnsizedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private static byte[] Bytes(int kib, byte fill) => Enumerable.Repeat(fill, kib * 1024).ToArray();

    private async Task<int> ChunkRowsAsync(string location)
    {
        var id = Guid.Parse(location[(location.LastIndexOf('/') + 1)..]);
        await using var db = portal.CreateDbContext();
        return await db.BlobChunks.CountAsync(c => c.BlobId == id, Ct);
    }

    [Fact]
    public async Task A_PATCH_past_the_storage_quota_is_refused_while_it_streams_and_stores_nothing()
    {
        var oci = await DeveloperAsync("oci-quota");
        Assert.Equal(HttpStatusCode.Created, (await oci.PushWholeAsync("oci-quota/big", Bytes(60, 1))).StatusCode);
        var location = await oci.StartUploadAsync("oci-quota/next");
        Assert.Equal(HttpStatusCode.Accepted, (await oci.PatchAsync(location, Bytes(30, 2), 0)).StatusCode);
        var rows = await ChunkRowsAsync(location);

        // 60 KiB stored + 30 KiB in this upload + 20 KiB more > 100 KiB: refused, though the chunk alone is small.
        var over = await oci.SendAsync(HttpMethod.Patch, location, new UnsizedContent(Bytes(20, 3)));
        Assert.Equal(HttpStatusCode.Forbidden, over.StatusCode);
        Assert.Equal("DENIED", await ErrorCodeAsync(over));
        Assert.Contains("quota", await over.Content.ReadAsStringAsync(Ct));

        var status = await oci.SendAsync(HttpMethod.Get, location);
        Assert.Equal("0-30719", Header(status, "Range"));
        Assert.Equal(rows, await ChunkRowsAsync(location));
        var allowance = await portal.WithScopeAsync(async sp =>
        {
            await using var db = portal.CreateDbContext();
            var tenant = await db.Tenants.SingleAsync(t => t.Slug == "oci-quota", Ct);
            return await sp.GetRequiredService<StorageQuota>().AllowanceAsync(tenant.Id, Ct);
        });
        Assert.Equal(90 * 1024, allowance.UsedBytes);
    }

    [Fact]
    public async Task An_upload_past_the_per_artifact_limit_is_refused_with_SIZE_INVALID()
    {
        var oci = await DeveloperAsync("oci-size");
        var location = await oci.StartUploadAsync("oci-size/blob");
        Assert.Equal(HttpStatusCode.Accepted, (await oci.PatchAsync(location, Bytes(40, 1), 0)).StatusCode);

        var streamed = await oci.SendAsync(HttpMethod.Patch, location, new UnsizedContent(Bytes(30, 2)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
        Assert.Equal("SIZE_INVALID", await ErrorCodeAsync(streamed));
        var declared = await oci.PatchAsync(location, Bytes(30, 2), 40 * 1024);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        var whole = await oci.PushWholeAsync("oci-size/blob", Bytes(70, 4));
        Assert.Equal("SIZE_INVALID", await ErrorCodeAsync(whole));

        // What fits still goes through, and completes.
        Assert.Equal(HttpStatusCode.Accepted, (await oci.PatchAsync(location, Bytes(20, 2), 40 * 1024)).StatusCode);
        var expected = Bytes(40, 1).Concat(Bytes(20, 2)).ToArray();
        Assert.Equal(HttpStatusCode.Created, (await oci.CompleteAsync(location, Digest(expected))).StatusCode);
    }

    [Fact]
    public async Task Abandoned_uploads_and_orphan_blobs_are_purged_and_what_tags_reach_is_kept()
    {
        var oci = await DeveloperAsync("oci-purge");
        var abandoned = await oci.StartUploadAsync("oci-purge/a");
        Assert.Equal(HttpStatusCode.Accepted, (await oci.PatchAsync(abandoned, Bytes(10, 1), 0)).StatusCode);
        var touched = await oci.StartUploadAsync("oci-purge/b");
        var orphan = Bytes(5, 9);
        Assert.Equal(HttpStatusCode.Created, (await oci.PushWholeAsync("oci-purge/loose", orphan)).StatusCode);
        var wasm = await ActorBuilder.CgiModuleAsync("hello", Ct);
        var manifest = await oci.PushArtifactAsync("oci-purge/hello", "1", wasm);
        var config = Digest(Config(wasm));

        var abandonedId = Guid.Parse(abandoned[(abandoned.LastIndexOf('/') + 1)..]);
        var past = DateTimeOffset.UtcNow.AddDays(-3);
        await using (var db = portal.CreateDbContext())
        {
            var tenant = await db.Tenants.SingleAsync(t => t.Slug == "oci-purge", Ct);
            await db.UploadSessions.IgnoreQueryFilters().Where(u => u.Id == abandonedId).ExecuteUpdateAsync(s => s.SetProperty(u => u.UpdatedAt, past), Ct);
            await db.Blobs.IgnoreQueryFilters().Where(b => b.TenantId == tenant.Id).ExecuteUpdateAsync(s => s.SetProperty(b => b.CreatedAt, past), Ct);
        }

        var result = await portal.WithScopeAsync(sp => sp.GetRequiredService<OciUploadPurge>().PurgeAsync(DateTimeOffset.UtcNow, Ct));

        Assert.True(result.Sessions >= 1, $"purged {result.Sessions} sessions");
        Assert.True(result.OrphanBlobs >= 1, $"purged {result.OrphanBlobs} blobs");
        await using (var db = portal.CreateDbContext())
        {
            Assert.False(await db.UploadSessions.IgnoreQueryFilters().AnyAsync(u => u.Id == abandonedId, Ct));
            Assert.False(await db.BlobChunks.AnyAsync(c => c.BlobId == abandonedId, Ct));
            Assert.False(await db.Blobs.IgnoreQueryFilters().AnyAsync(b => b.Digest == Digest(orphan), Ct));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await oci.SendAsync(HttpMethod.Get, abandoned)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await oci.SendAsync(HttpMethod.Get, touched)).StatusCode);
        foreach (var kept in new[] { manifest, Digest(wasm), config })
        {
            var path = kept == manifest ? $"/v2/oci-purge/hello/manifests/{kept}" : $"/v2/oci-purge/hello/blobs/{kept}";
            Assert.Equal(HttpStatusCode.OK, (await oci.SendAsync(HttpMethod.Head, path)).StatusCode);
        }
    }

    [Fact]
    public async Task An_upload_found_abandoned_on_access_is_dropped_and_unknown()
    {
        var oci = await DeveloperAsync("oci-stale");
        var location = await oci.StartUploadAsync("oci-stale/a");
        Assert.Equal(HttpStatusCode.Accepted, (await oci.PatchAsync(location, Bytes(4, 1), 0)).StatusCode);
        var id = Guid.Parse(location[(location.LastIndexOf('/') + 1)..]);
        await using var db = portal.CreateDbContext();
        await db.UploadSessions.IgnoreQueryFilters().Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.UpdatedAt, DateTimeOffset.UtcNow.AddHours(-2)), Ct);

        var patch = await oci.PatchAsync(location, Bytes(4, 2), 4096);
        Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", await ErrorCodeAsync(patch));
        Assert.False(await db.UploadSessions.IgnoreQueryFilters().AnyAsync(u => u.Id == id, Ct));
        Assert.False(await db.BlobChunks.AnyAsync(c => c.BlobId == id, Ct));
    }
}
