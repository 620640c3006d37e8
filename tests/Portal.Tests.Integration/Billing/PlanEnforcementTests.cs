using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Testing;
using Portal.Tests.Integration.Artifacts;
using static Portal.Tests.Integration.Applications.ApplicationTestKit;
using static Portal.Tests.Integration.Billing.PlanTestKit;

namespace Portal.Tests.Integration.Billing;

/// <summary>
/// Each plan limit refused at admission over REST and OCI, in one problem shape, storing nothing,
/// and let through once a platform admin raises it. Each test caps its own tenant by an override.
/// </summary>
public sealed class PlanEnforcementTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpClient Admin, HttpClient Api)> ArrangeAsync(string slug, params string[] lattices)
    {
        var admin = await PlatformAdminAsync(portal, $"{slug}-admin");
        return (admin, await TenantAsync(portal, slug, lattices));
    }

    private async Task<int> AuditCountAsync(string slug)
    {
        await using var db = portal.CreateDbContext();
        var id = await db.Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync(Ct);
        return await db.AuditEvents.IgnoreQueryFilters().CountAsync(a => a.TenantId == id, Ct);
    }

    private static ByteArrayContent Wasm(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        return content;
    }

    /// <summary>A valid module that differs by <paramref name="n"/> (a custom section), so each is a new blob.</summary>
    private static byte[] Module(int n) => [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x00, 0x03, 0x01, (byte)'n', (byte)n];

    [Fact]
    public async Task Lattice_creation_past_the_plan_is_refused_until_an_admin_raises_it()
    {
        var (admin, api) = await ArrangeAsync("enf-lattices", "dev");
        await OverrideAsync(admin, "enf-lattices", "lattices", 1);
        var audit = await AuditCountAsync("enf-lattices");

        var refused = await api.PostAsJsonAsync("/api/v1/tenants/enf-lattices/lattices", new { name = "prod" }, Ct);
        var problem = await QuotaProblemAsync(refused, "lattices", used: 1, limit: 1);
        Assert.StartsWith("Lattice quota reached: this tenant has 1 of 1 lattices (limit plan 'free' with an override for this tenant).",
            problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(audit, await AuditCountAsync("enf-lattices"));
        Assert.Single(await api.GetFromJsonAsync<JsonElement[]>("/api/v1/tenants/enf-lattices/lattices", Ct) ?? []);

        await OverrideAsync(admin, "enf-lattices", "lattices", 2);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/tenants/enf-lattices/lattices", new { name = "prod" }, Ct)).StatusCode);
    }

    [Fact]
    public async Task Uploads_past_the_artifact_count_are_refused_but_moving_a_tag_is_not_a_new_artifact()
    {
        var (admin, api) = await ArrangeAsync("enf-count");
        await OverrideAsync(admin, "enf-count", "artifactCount", 2);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/api/v1/tenants/enf-count/artifacts?name=a&tag=1", Wasm(Module(1)), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/api/v1/tenants/enf-count/artifacts?name=b&tag=1", Wasm(Module(2)), Ct)).StatusCode);
        var audit = await AuditCountAsync("enf-count");

        var refused = await api.PostAsync("/api/v1/tenants/enf-count/artifacts?name=c&tag=1", Wasm(Module(3)), Ct);
        await QuotaProblemAsync(refused, "artifactCount", used: 2, limit: 2);
        Assert.Equal(audit, await AuditCountAsync("enf-count"));
        await using (var db = portal.CreateDbContext())
        {
            var id = await db.Tenants.Where(t => t.Slug == "enf-count").Select(t => t.Id).SingleAsync(Ct);
            Assert.Equal(2, await db.Artifacts.IgnoreQueryFilters().CountAsync(a => a.TenantId == id, Ct));
            // The refused upload's bytes rolled back with it: only a's and b's blobs (wasm, config, manifest each).
            Assert.Equal(6, await db.Blobs.IgnoreQueryFilters().CountAsync(b => b.TenantId == id, Ct));
        }

        // New bytes under an existing name and tag replace, they do not add.
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/api/v1/tenants/enf-count/artifacts?name=a&tag=1", Wasm(Module(4)), Ct)).StatusCode);
    }

    [Fact]
    public async Task An_oci_push_past_the_artifact_count_is_denied_with_the_same_words()
    {
        var (admin, _) = await ArrangeAsync("enf-oci");
        await OverrideAsync(admin, "enf-oci", "artifactCount", 1);
        var scenario = new PortalScenario(portal);
        var owner = await scenario.UserAsync("owner@enf-oci.test");
        var oci = new OciTestClient(portal.CreateClient(), OciTestClient.Basic("ci", await scenario.TokenAsync("enf-oci", owner, "read", "write")));
        await oci.PushArtifactAsync("enf-oci/first", "1", Module(1));

        var wasm = Module(2);
        var config = OciTestClient.Config(wasm);
        Assert.Equal(HttpStatusCode.Created, (await oci.PushWholeAsync("enf-oci/second", config)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await oci.PushWholeAsync("enf-oci/second", wasm)).StatusCode);
        var refused = await oci.PutManifestAsync("enf-oci/second", "1", OciTestClient.Manifest(config, wasm));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("DENIED", await OciTestClient.ErrorCodeAsync(refused));
        Assert.Contains("Artifact quota reached: this tenant has 1 of 1 artifacts", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("links", "Link quota exceeded: deploying v1 of web to dev would use 1 of 0 links")]
    [InlineData("providers", "Provider quota exceeded: deploying v1 of web to dev would use 1 of 0 providers")]
    [InlineData("deployedComponents", "Deployed component quota exceeded: deploying v1 of web to dev would use 1 of 0 deployed components")]
    public async Task A_deploy_past_a_deployment_limit_is_refused_and_plan_says_so(string unit, string expected)
    {
        var slug = $"enf-{unit.ToLowerInvariant()}";
        var (admin, api) = await ArrangeAsync(slug);
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(api, slug, HttpHello("web", "1", "ghcr.io/example/hello:1.0.0"))).StatusCode);
        await OverrideAsync(admin, slug, unit, 0);
        var before = await CountsAsync(portal, slug);

        var plan = await (await api.PostAsJsonAsync($"/api/v1/tenants/{slug}/applications/web/plan", new { lattice = "dev" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(plan.GetProperty("problems").EnumerateArray(), p => p.GetProperty("message").GetString()!.Contains(expected[(expected.IndexOf(':') + 2)..], StringComparison.Ordinal));

        var refused = await api.PostAsJsonAsync($"/api/v1/tenants/{slug}/applications/web/deploy", new { lattice = "dev" }, Ct);
        var problem = await QuotaProblemAsync(refused, unit, used: 0, limit: 0);
        Assert.StartsWith(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync(portal, slug));

        await OverrideAsync(admin, slug, unit, 1);
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsJsonAsync($"/api/v1/tenants/{slug}/applications/web/deploy", new { lattice = "dev" }, Ct)).StatusCode);
    }

    [Fact]
    public async Task Requests_past_the_plan_rate_get_429_with_retry_after_naming_the_plan()
    {
        var (admin, api) = await ArrangeAsync("enf-rate");
        await OverrideAsync(admin, "enf-rate", "apiRequestsPerMinute", 3);

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/tenants/enf-rate/lattices", Ct)).StatusCode);
        var refused = await api.GetAsync("/api/v1/tenants/enf-rate/lattices", Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("/problems/quota-exceeded", problem.GetProperty("type").GetString());
        Assert.Equal("apiRequestsPerMinute", problem.GetProperty("quota").GetString());
        Assert.Equal(3, problem.GetProperty("limit").GetInt64());
        Assert.Contains("3 per tenant (limit plan 'free' with an override for this tenant)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Another tenant's requests are not counted against this one.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/tenants/enf-rate-admin/lattices", Ct)).StatusCode);
    }
}
