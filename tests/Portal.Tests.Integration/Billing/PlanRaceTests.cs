using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Testing;
using static Portal.Tests.Integration.Applications.ApplicationTestKit;
using static Portal.Tests.Integration.Billing.PlanTestKit;

namespace Portal.Tests.Integration.Billing;

/// <summary>
/// Concurrent requests cannot both squeeze under a plan limit: the per-tenant quota lock
/// (QuotaLock) makes them count one after the other. Checked by removing the lock: both tests then
/// fail (more lattices / artifacts than the limit are stored).
/// </summary>
public sealed class PlanRaceTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<int> CountAsync(string slug, Func<Portal.Data.PortalDbContext, Guid, Task<int>> count)
    {
        await using var db = portal.CreateDbContext();
        var id = await db.Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync(Ct);
        return await count(db, id);
    }

    [Fact]
    public async Task Concurrent_lattice_creates_get_only_the_remaining_headroom()
    {
        var admin = await PlatformAdminAsync(portal, "race-lattices-admin");
        var api = await TenantAsync(portal, "race-lattices", "dev");
        await OverrideAsync(admin, "race-lattices", "lattices", 3);

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            api.PostAsJsonAsync("/api/v1/tenants/race-lattices/lattices", new { name = $"env{i}" }, Ct)));

        Assert.Equal(2, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode));
        Assert.Equal(3, await CountAsync("race-lattices", (db, id) => db.Lattices.IgnoreQueryFilters().CountAsync(l => l.TenantId == id, Ct)));
    }

    [Fact]
    public async Task Concurrent_uploads_get_only_the_remaining_artifact_headroom()
    {
        var admin = await PlatformAdminAsync(portal, "race-artifacts-admin");
        var api = await TenantAsync(portal, "race-artifacts");
        await OverrideAsync(admin, "race-artifacts", "artifactCount", 2);

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
        {
            var content = new ByteArrayContent([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x00, 0x03, 0x01, (byte)'n', (byte)i]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
            return api.PostAsync($"/api/v1/tenants/race-artifacts/artifacts?name=racer{i}&tag=1", content, Ct);
        }));

        Assert.Equal(2, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode));
        Assert.Equal(2, await CountAsync("race-artifacts", (db, id) => db.Artifacts.IgnoreQueryFilters().CountAsync(a => a.TenantId == id, Ct)));
    }
}
