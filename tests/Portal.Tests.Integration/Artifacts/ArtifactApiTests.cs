using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Testing;
using Portal.Testing.Actors;

namespace Portal.Tests.Integration.Artifacts;

/// <summary>Uploading, inspecting, storing, listing, downloading and deleting actors over REST.</summary>
public sealed class ArtifactApiTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpClient> DeveloperAsync(string slug)
    {
        var scenario = new PortalScenario(portal);
        var owner = await scenario.UserAsync($"owner@{slug}.test");
        await scenario.TenantAsync(owner, slug);
        return scenario.Client(await scenario.TokenAsync(slug, owner, "read", "write"));
    }

    private static ByteArrayContent Wasm(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        return content;
    }

    [Fact]
    public async Task A_cgi_module_is_inspected_stored_and_downloaded_byte_for_byte()
    {
        var api = await DeveloperAsync("art-cgi");
        var wasm = await ActorBuilder.CgiModuleAsync("hello", Ct);

        var response = await api.PostAsync("/api/v1/tenants/art-cgi/artifacts?name=hello&tag=1.0.0", Wasm(wasm), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/v1/tenants/art-cgi/artifacts/hello/1.0.0", response.Headers.Location?.OriginalString);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var artifact = body.GetProperty("artifact");
        Assert.Equal("coreModule", artifact.GetProperty("kind").GetString());
        Assert.Equal(wasm.Length, artifact.GetProperty("size").GetInt64());
        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(wasm)), artifact.GetProperty("digest").GetString());
        Assert.Contains("wasi:http/incoming-handler", artifact.GetProperty("exports").EnumerateArray().Select(e => e.GetString()));
        Assert.EndsWith("/art-cgi/hello:1.0.0", artifact.GetProperty("imageRef").GetString());

        var detail = await api.GetFromJsonAsync<JsonElement>("/api/v1/tenants/art-cgi/artifacts/hello/1.0.0", Ct);
        Assert.True(detail.GetProperty("inspection").GetProperty("isCgiCommand").GetBoolean());
        Assert.Contains("fd_write", detail.GetProperty("inspection").GetProperty("wasiFunctions").EnumerateArray().Select(e => e.GetString()));

        var download = await api.GetAsync("/api/v1/tenants/art-cgi/artifacts/hello/1.0.0/content", Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/wasm", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(wasm, await download.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task A_component_upload_by_multipart_lists_its_wit_world()
    {
        var api = await DeveloperAsync("art-component");
        var wasm = await ActorBuilder.HttpComponentAsync("hello-component", Ct);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("2.0"), "tag" },
            { Wasm(wasm), "file", "Hello Component.wasm" },
        };

        var response = await api.PostAsync("/api/v1/tenants/art-component/artifacts", form, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var artifact = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("artifact");
        Assert.Equal("hello-component", artifact.GetProperty("name").GetString());
        Assert.Equal("2.0", artifact.GetProperty("tag").GetString());
        Assert.Equal("component", artifact.GetProperty("kind").GetString());
        Assert.Contains(artifact.GetProperty("exports").EnumerateArray(), e => e.GetString()!.StartsWith("wasi:http/incoming-handler@0.2.", StringComparison.Ordinal));

        var components = await api.GetFromJsonAsync<JsonElement>("/api/v1/tenants/art-component/artifacts?kind=component&search=incoming-handler", Ct);
        Assert.Single(components.GetProperty("items").EnumerateArray());
        var modules = await api.GetFromJsonAsync<JsonElement>("/api/v1/tenants/art-component/artifacts?kind=coreModule", Ct);
        Assert.Empty(modules.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Identical_bytes_are_stored_once_and_moving_a_tag_is_audited()
    {
        var api = await DeveloperAsync("art-dedup");
        var hello = await ActorBuilder.CgiModuleAsync("hello", Ct);
        var echo = await ActorBuilder.CgiModuleAsync("echo", Ct);

        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/api/v1/tenants/art-dedup/artifacts?name=hello&tag=1", Wasm(hello), Ct)).StatusCode);
        var second = await api.PostAsync("/api/v1/tenants/art-dedup/artifacts?name=hello&tag=2", Wasm(hello), Ct);
        Assert.True((await second.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("bytesAlreadyStored").GetBoolean());
        var again = await api.PostAsync("/api/v1/tenants/art-dedup/artifacts?name=hello&tag=2", Wasm(hello), Ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        await using (var db = portal.CreateDbContext())
        {
            var tenant = await db.Tenants.SingleAsync(t => t.Slug == "art-dedup", Ct);
            // One wasm blob, one config, one manifest: both tags share all three.
            Assert.Equal(3, await db.Blobs.IgnoreQueryFilters().CountAsync(b => b.TenantId == tenant.Id, Ct));
        }

        var moved = await api.PostAsync("/api/v1/tenants/art-dedup/artifacts?name=hello&tag=2", Wasm(echo), Ct);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var movedBody = await moved.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(Digest(hello), movedBody.GetProperty("previousDigest").GetString());

        var audit = await api.GetFromJsonAsync<JsonElement>("/api/v1/tenants/art-dedup/audit?action=artifact.tag.move", Ct);
        var entry = Assert.Single(audit.GetProperty("items").EnumerateArray());
        Assert.Equal("hello:2", entry.GetProperty("targetId").GetString());
        Assert.Contains(Digest(hello), entry.GetRawText());
        Assert.Contains(Digest(echo), entry.GetRawText());
    }

    [Fact]
    public async Task Deleting_the_last_tag_removes_the_bytes_and_keeps_shared_ones()
    {
        var api = await DeveloperAsync("art-delete");
        var hello = await ActorBuilder.CgiModuleAsync("hello", Ct);
        await api.PostAsync("/api/v1/tenants/art-delete/artifacts?name=hello&tag=1", Wasm(hello), Ct);
        await api.PostAsync("/api/v1/tenants/art-delete/artifacts?name=hello&tag=2", Wasm(hello), Ct);

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/api/v1/tenants/art-delete/artifacts/hello/1", Ct)).StatusCode);
        Assert.Equal(3, await BlobCountAsync("art-delete"));
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/api/v1/tenants/art-delete/artifacts/hello/2", Ct)).StatusCode);
        Assert.Equal(0, await BlobCountAsync("art-delete"));
        await using var db = portal.CreateDbContext();
        Assert.Equal(0, await db.BlobChunks.CountAsync(c => !db.Blobs.IgnoreQueryFilters().Any(b => b.Id == c.BlobId), Ct));

        var gone = await api.GetAsync("/api/v1/tenants/art-delete/artifacts/hello/2", Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("application/problem+json", gone.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("png", "PNG")]
    [InlineData("empty", "empty")]
    [InlineData("truncated", "offset")]
    [InlineData("version", "version")]
    public async Task Bad_files_get_a_problem_naming_what_was_found_and_store_nothing(string kind, string expected)
    {
        var slug = $"art-bad-{kind}";
        var api = await DeveloperAsync(slug);
        var hello = await ActorBuilder.CgiModuleAsync("hello", Ct);
        byte[] bytes = kind switch
        {
            "png" => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52],
            "empty" => [],
            "truncated" => hello[..(hello.Length / 2)],
            _ => [0x00, 0x61, 0x73, 0x6D, 0x07, 0x00, 0x00, 0x00],
        };

        var response = await api.PostAsync($"/api/v1/tenants/{slug}/artifacts?name=bad&tag=1", Wasm(bytes), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        await AssertNothingStoredAsync(slug);
    }

    [Fact]
    public async Task Names_and_tags_are_validated_with_field_errors()
    {
        var api = await DeveloperAsync("art-names");
        var hello = await ActorBuilder.CgiModuleAsync("hello", Ct);

        var response = await api.PostAsync("/api/v1/tenants/art-names/artifacts?name=Not%20Valid&tag=-x", Wasm(hello), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("tag", out _));
        await AssertNothingStoredAsync("art-names");
    }

    [Fact]
    public async Task Another_tenants_artifacts_are_not_found()
    {
        var api = await DeveloperAsync("art-mine");
        var other = await DeveloperAsync("art-theirs");
        await api.PostAsync("/api/v1/tenants/art-mine/artifacts?name=hello&tag=1", Wasm(await ActorBuilder.CgiModuleAsync("hello", Ct)), Ct);

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/v1/tenants/art-mine/artifacts/hello/1", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/v1/tenants/art-theirs/artifacts/hello/1", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/v1/tenants/art-theirs/artifacts/hello/1/content", Ct)).StatusCode);
        Assert.Empty((await other.GetFromJsonAsync<JsonElement>("/api/v1/tenants/art-theirs/artifacts", Ct)).GetProperty("items").EnumerateArray());
    }

    private static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    private async Task<int> BlobCountAsync(string slug)
    {
        await using var db = portal.CreateDbContext();
        var tenant = await db.Tenants.SingleAsync(t => t.Slug == slug, Ct);
        return await db.Blobs.IgnoreQueryFilters().CountAsync(b => b.TenantId == tenant.Id, Ct);
    }

    private async Task AssertNothingStoredAsync(string slug)
    {
        await using var db = portal.CreateDbContext();
        var tenant = await db.Tenants.SingleAsync(t => t.Slug == slug, Ct);
        Assert.Equal(0, await db.Artifacts.IgnoreQueryFilters().CountAsync(a => a.TenantId == tenant.Id, Ct));
        Assert.Equal(0, await db.Blobs.IgnoreQueryFilters().CountAsync(b => b.TenantId == tenant.Id, Ct));
        Assert.Equal(0, await db.BlobChunks.CountAsync(c => !db.Blobs.IgnoreQueryFilters().Any(b => b.Id == c.BlobId), Ct));
        Assert.False(await db.AuditEvents.IgnoreQueryFilters().AnyAsync(a => a.TenantId == tenant.Id && a.Action.StartsWith("artifact."), Ct));
    }
}
