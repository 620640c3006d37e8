using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Testing;
using Portal.Testing.Actors;
using static Portal.Tests.Integration.Artifacts.OciTestClient;

namespace Portal.Tests.Integration.Artifacts;

/// <summary>Push and pull over the OCI distribution API (/v2/) with raw HTTP, as registry clients speak it.</summary>
public sealed class OciRegistryTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(OciTestClient Oci, HttpClient Api)> DeveloperAsync(string slug)
    {
        var scenario = new PortalScenario(portal);
        var owner = await scenario.UserAsync($"owner@{slug}.test");
        await scenario.TenantAsync(owner, slug);
        var token = await scenario.TokenAsync(slug, owner, "read", "write");
        return (new OciTestClient(portal.CreateClient(), Basic("anyone", token)), scenario.Client(token));
    }

    [Fact]
    public async Task A_blob_pushed_in_two_chunks_and_a_manifest_pull_back_byte_identical_by_tag_and_by_digest()
    {
        var (oci, api) = await DeveloperAsync("oci-push");
        var wasm = await ActorBuilder.CgiModuleAsync("hello", Ct);
        var config = Config(wasm);
        var manifest = Manifest(config, wasm);

        Assert.Equal(HttpStatusCode.Created, (await oci.PushWholeAsync("oci-push/hello", config)).StatusCode);
        var layer = await oci.PushChunkedAsync("oci-push/hello", wasm);
        var put = await oci.PutManifestAsync("oci-push/hello", "1.0.0", manifest);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(Digest(manifest), Header(put, "Docker-Content-Digest"));
        Assert.Equal($"/v2/oci-push/hello/manifests/{Digest(manifest)}", put.Headers.Location?.OriginalString);

        foreach (var reference in new[] { "1.0.0", Digest(manifest) })
        {
            var pulled = await oci.SendAsync(HttpMethod.Get, $"/v2/oci-push/hello/manifests/{reference}", configure: r => r.Headers.Accept.ParseAdd(ManifestType));
            Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
            Assert.Equal(ManifestType, pulled.Content.Headers.ContentType?.MediaType);
            Assert.Equal(Digest(manifest), Header(pulled, "Docker-Content-Digest"));
            Assert.Equal(manifest.Length, pulled.Content.Headers.ContentLength);
            Assert.Equal(manifest, await pulled.Content.ReadAsByteArrayAsync(Ct));

            var head = await oci.SendAsync(HttpMethod.Head, $"/v2/oci-push/hello/manifests/{reference}");
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(Digest(manifest), Header(head, "Docker-Content-Digest"));
            Assert.Equal(manifest.Length, head.Content.Headers.ContentLength);
        }

        var blob = await oci.SendAsync(HttpMethod.Get, $"/v2/oci-push/hello/blobs/{layer}");
        Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
        Assert.Equal(layer, Header(blob, "Docker-Content-Digest"));
        Assert.Equal(wasm, await blob.Content.ReadAsByteArrayAsync(Ct));
        var headBlob = await oci.SendAsync(HttpMethod.Head, $"/v2/oci-push/hello/blobs/{layer}");
        Assert.Equal(wasm.Length, headBlob.Content.Headers.ContentLength);
        var range = await oci.SendAsync(HttpMethod.Get, $"/v2/oci-push/hello/blobs/{layer}", configure: r => r.Headers.Range = new RangeHeaderValue(8, 15));
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal(wasm[8..16], await range.Content.ReadAsByteArrayAsync(Ct));

        // The push made an artifact like a REST upload does: inspected, listed, audited with the token as actor.
        var detail = await api.GetFromJsonAsync<JsonElement>("/api/v1/tenants/oci-push/artifacts/hello/1.0.0", Ct);
        Assert.Equal(layer, detail.GetProperty("artifact").GetProperty("digest").GetString());
        Assert.Equal("coreModule", detail.GetProperty("artifact").GetProperty("kind").GetString());
        Assert.Equal(Digest(manifest), detail.GetProperty("manifestDigest").GetString());
        Assert.Equal(wasm, await api.GetByteArrayAsync("/api/v1/tenants/oci-push/artifacts/hello/1.0.0/content", Ct));
        await using (var db = portal.CreateDbContext())
        {
            var tenant = await db.Tenants.SingleAsync(t => t.Slug == "oci-push", Ct);
            var events = db.AuditEvents.IgnoreQueryFilters().Where(a => a.TenantId == tenant.Id);
            var upload = await events.SingleAsync(a => a.Action == "artifact.upload" && a.TargetId == "hello:1.0.0", Ct);
            Assert.Equal("token", upload.ActorType);
            Assert.Equal(2, await events.CountAsync(a => a.Action == "artifact.blob.push" && a.TargetId.StartsWith("hello@"), Ct));
        }

        var tags = await oci.SendAsync(HttpMethod.Get, "/v2/oci-push/hello/tags/list");
        var list = await tags.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("oci-push/hello", list.GetProperty("name").GetString());
        Assert.Equal(["1.0.0"], list.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task A_manifest_pushed_again_under_another_tag_moves_nothing_and_a_changed_one_moves_the_tag_audited()
    {
        var (oci, _) = await DeveloperAsync("oci-move");
        var hello = await ActorBuilder.CgiModuleAsync("hello", Ct);
        var echo = await ActorBuilder.CgiModuleAsync("echo", Ct);
        var first = await oci.PushArtifactAsync("oci-move/app", "1", hello);
        Assert.Equal(HttpStatusCode.Created, (await oci.PutManifestAsync("oci-move/app", "1", Manifest(Config(hello), hello))).StatusCode);
        var moved = await oci.PushArtifactAsync("oci-move/app", "1", echo);
        Assert.NotEqual(first, moved);

        var old = await oci.SendAsync(HttpMethod.Get, $"/v2/oci-move/app/manifests/{first}");
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
        Assert.Equal("MANIFEST_UNKNOWN", await ErrorCodeAsync(old));
        await using var db = portal.CreateDbContext();
        var tenant = await db.Tenants.SingleAsync(t => t.Slug == "oci-move", Ct);
        var actions = await db.AuditEvents.IgnoreQueryFilters().Where(a => a.TenantId == tenant.Id && a.TargetId == "app:1").OrderBy(a => a.Sequence).Select(a => a.Action).ToListAsync(Ct);
        Assert.Equal(["artifact.upload", "artifact.tag.move"], actions);
        // The first manifest and its wasm went with the tag; nothing else points at them.
        Assert.False(await db.Blobs.IgnoreQueryFilters().AnyAsync(b => b.TenantId == tenant.Id && (b.Digest == first || b.Digest == Digest(hello)), Ct));
    }

    [Fact]
    public async Task A_wrong_digest_is_refused_with_DIGEST_INVALID_and_nothing_is_stored()
    {
        var (oci, _) = await DeveloperAsync("oci-digest");
        var bytes = await ActorBuilder.CgiModuleAsync("echo", Ct);
        var wrong = "sha256:" + new string('0', 64);
        await using var db = portal.CreateDbContext();
        var blobsBefore = await db.Blobs.IgnoreQueryFilters().CountAsync(Ct);
        var chunksBefore = await db.BlobChunks.CountAsync(Ct);

        var location = await oci.StartUploadAsync("oci-digest/echo");
        Assert.Equal(HttpStatusCode.Accepted, (await oci.PatchAsync(location, bytes, 0)).StatusCode);
        var put = await oci.CompleteAsync(location, wrong);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("DIGEST_INVALID", await ErrorCodeAsync(put));
        var gone = await oci.SendAsync(HttpMethod.Get, location);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", await ErrorCodeAsync(gone));

        var whole = await oci.PushWholeAsync("oci-digest/echo", bytes, wrong);
        Assert.Equal(HttpStatusCode.BadRequest, whole.StatusCode);
        Assert.Equal("DIGEST_INVALID", await ErrorCodeAsync(whole));
        var malformed = await oci.PushWholeAsync("oci-digest/echo", bytes, "md5:abc");
        Assert.Equal("DIGEST_INVALID", await ErrorCodeAsync(malformed));

        Assert.Equal(blobsBefore, await db.Blobs.IgnoreQueryFilters().CountAsync(Ct));
        Assert.Equal(chunksBefore, await db.BlobChunks.CountAsync(Ct));
        Assert.False(await db.UploadSessions.IgnoreQueryFilters().AnyAsync(Ct));
        var blob = await oci.SendAsync(HttpMethod.Head, $"/v2/oci-digest/echo/blobs/{Digest(bytes)}");
        Assert.Equal(HttpStatusCode.NotFound, blob.StatusCode);
    }

    [Fact]
    public async Task A_chunk_at_the_wrong_offset_is_refused_with_416_and_the_upload_position()
    {
        var (oci, _) = await DeveloperAsync("oci-range");
        var location = await oci.StartUploadAsync("oci-range/blob");
        Assert.Equal(HttpStatusCode.Accepted, (await oci.PatchAsync(location, new byte[100], 0)).StatusCode);

        var gap = await oci.PatchAsync(location, new byte[10], 150);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, gap.StatusCode);
        Assert.Equal("0-99", Header(gap, "Range"));
        Assert.Equal(location, gap.Headers.Location?.OriginalString);
        Assert.Equal("BLOB_UPLOAD_INVALID", await ErrorCodeAsync(gap));

        var status = await oci.SendAsync(HttpMethod.Get, location);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-99", Header(status, "Range"));
        // A streamed chunk (no Content-Range) appends where the upload stands.
        var streamed = await oci.PatchAsync(location, new byte[5], 100, withRange: false);
        Assert.Equal("0-104", Header(streamed, "Range"));
        Assert.Equal(HttpStatusCode.NoContent, (await oci.SendAsync(HttpMethod.Delete, location)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await oci.SendAsync(HttpMethod.Get, location)).StatusCode);
    }

    [Fact]
    public async Task Manifests_that_reference_missing_blobs_or_no_wasm_are_refused_with_their_codes()
    {
        var (oci, _) = await DeveloperAsync("oci-invalid");
        var wasm = await ActorBuilder.CgiModuleAsync("hello", Ct);
        var config = Config(wasm);
        Assert.Equal(HttpStatusCode.Created, (await oci.PushWholeAsync("oci-invalid/app", config)).StatusCode);

        var missing = await oci.PutManifestAsync("oci-invalid/app", "1", Manifest(config, wasm));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await ErrorCodeAsync(missing));

        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3 };
        await oci.PushWholeAsync("oci-invalid/app", png);
        var notWasm = await oci.PutManifestAsync("oci-invalid/app", "1", Manifest(config, png));
        Assert.Equal("MANIFEST_INVALID", await ErrorCodeAsync(notWasm));
        var noWasmLayer = await oci.PutManifestAsync("oci-invalid/app", "1", Manifest(config, png, layerType: "image/png"));
        Assert.Contains("no wasm layer", await noWasmLayer.Content.ReadAsStringAsync(Ct));
        var garbage = await oci.PutManifestAsync("oci-invalid/app", "1", "{not json"u8.ToArray());
        Assert.Equal("MANIFEST_INVALID", await ErrorCodeAsync(garbage));
        var index = await oci.PutManifestAsync("oci-invalid/app", "1", """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"""u8.ToArray(), "application/vnd.oci.image.index.v1+json");
        Assert.Contains("index", await index.Content.ReadAsStringAsync(Ct));
        var badName = await oci.PutManifestAsync("oci-invalid/Bad_Name", "1", Manifest(config, wasm));
        Assert.Equal("NAME_INVALID", await ErrorCodeAsync(badName));
        var nested = await oci.SendAsync(HttpMethod.Get, "/v2/oci-invalid/a/b/manifests/1");
        Assert.Equal("NAME_INVALID", await ErrorCodeAsync(nested));

        await using var db = portal.CreateDbContext();
        var tenant = await db.Tenants.SingleAsync(t => t.Slug == "oci-invalid", Ct);
        Assert.False(await db.Artifacts.IgnoreQueryFilters().AnyAsync(a => a.Name == "app" && a.TenantId == tenant.Id, Ct));
        var unknown = await oci.SendAsync(HttpMethod.Get, "/v2/oci-invalid/app/manifests/1");
        Assert.Equal("NAME_UNKNOWN", await ErrorCodeAsync(unknown));
        var head = await oci.SendAsync(HttpMethod.Head, "/v2/oci-invalid/app/manifests/1");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task Deleting_a_manifest_by_digest_removes_its_tags_audited()
    {
        var (oci, api) = await DeveloperAsync("oci-delete");
        var wasm = await ActorBuilder.CgiModuleAsync("hello", Ct);
        var digest = await oci.PushArtifactAsync("oci-delete/hello", "1", wasm);
        Assert.Equal(HttpStatusCode.Created, (await oci.PutManifestAsync("oci-delete/hello", "stable", Manifest(Config(wasm), wasm))).StatusCode);

        var delete = await oci.SendAsync(HttpMethod.Delete, $"/v2/oci-delete/hello/manifests/{digest}");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/tenants/oci-delete/artifacts/hello/1", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/tenants/oci-delete/artifacts/hello/stable", Ct)).StatusCode);
        await using var db = portal.CreateDbContext();
        var tenant = await db.Tenants.SingleAsync(t => t.Slug == "oci-delete", Ct);
        var audit = await db.AuditEvents.IgnoreQueryFilters().SingleAsync(a => a.TenantId == tenant.Id && a.Action == "artifact.delete", Ct);
        Assert.Equal($"hello@{digest}", audit.TargetId);
        Assert.Contains("stable", audit.Before);
    }

    [Fact]
    public async Task An_artifact_uploaded_over_REST_is_pullable_and_its_manifest_names_the_wasm_layer()
    {
        var (oci, api) = await DeveloperAsync("oci-rest");
        var wasm = await ActorBuilder.CgiModuleAsync("hello", Ct);
        var upload = await api.PostAsync("/api/v1/tenants/oci-rest/artifacts?name=hello&tag=1", OciTestClient.Octets(wasm), Ct);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);

        var manifest = await oci.SendAsync(HttpMethod.Get, "/v2/oci-rest/hello/manifests/1");
        var parsed = Portal.Lattice.Oci.OciManifest.Read(await manifest.Content.ReadAsByteArrayAsync(Ct), manifest.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Header(manifest, "Docker-Content-Digest"), parsed.Digest);
        var layer = parsed.WasmLayer();
        Assert.Equal(Digest(wasm), layer.Digest);
        Assert.Equal(wasm, await (await oci.SendAsync(HttpMethod.Get, $"/v2/oci-rest/hello/blobs/{layer.Digest}")).Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, (await oci.SendAsync(HttpMethod.Get, $"/v2/oci-rest/hello/blobs/{parsed.Config.Digest}")).StatusCode);
    }
}
