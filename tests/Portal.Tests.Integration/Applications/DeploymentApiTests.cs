using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Api.Deployments;
using Portal.Data.Applications;
using Portal.Testing;
using static Portal.Tests.Integration.Applications.ApplicationTestKit;

namespace Portal.Tests.Integration.Applications;

/// <summary>Deploy, undeploy, rollback, status, plan and the timeline; what they store and audit.</summary>
public sealed class DeploymentApiTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<HttpResponseMessage> Post(HttpClient api, string slug, string app, string action, object body) =>
        api.PostAsJsonAsync($"/api/v1/tenants/{slug}/applications/{app}/{action}", body, Ct);

    [Fact]
    public async Task Deploy_rollback_and_undeploy_store_rows_audit_and_timeline()
    {
        const string slug = "dep-flow";
        var api = await TenantAsync(portal, slug, "dev", "prod");
        await PutAsync(api, slug, Simple("shop", "1"));
        await PutAsync(api, slug, Simple("shop", "2"));

        var first = await Post(api, slug, "shop", "deploy", new { lattice = "dev", version = "1" });
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var deployment = (await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("deployment");
        Assert.Equal("1", deployment.GetProperty("version").GetString());
        Assert.Equal("deployed", deployment.GetProperty("desiredState").GetString());
        Assert.Equal("waiting", deployment.GetProperty("status").GetProperty("type").GetString());

        // Version absent = the newest; deploying it again changes nothing and audits nothing.
        var latest = await (await Post(api, slug, "shop", "deploy", new { lattice = "dev" })).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("2", latest.GetProperty("deployment").GetProperty("version").GetString());
        Assert.Equal("1", latest.GetProperty("deployment").GetProperty("previousVersion").GetString());
        var again = await (await Post(api, slug, "shop", "deploy", new { lattice = "dev", version = "2" })).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.False(again.GetProperty("changed").GetBoolean());

        var rolledBack = await (await Post(api, slug, "shop", "rollback", new { lattice = "dev" })).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("1", rolledBack.GetProperty("deployment").GetProperty("version").GetString());
        Assert.Equal("2", rolledBack.GetProperty("deployment").GetProperty("previousVersion").GetString());
        await Post(api, slug, "shop", "deploy", new { lattice = "prod", version = "2" });

        // The deployed version cannot be deleted; the list shows each lattice's version.
        Assert.Equal(HttpStatusCode.Conflict, (await api.DeleteAsync($"/api/v1/tenants/{slug}/applications/shop/versions/1", Ct)).StatusCode);
        var listed = Assert.Single((await api.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}/applications", Ct)).GetProperty("items").EnumerateArray());
        Assert.Equal(["dev:1", "prod:2"], listed.GetProperty("deployments").EnumerateArray().Select(d => $"{d.GetProperty("lattice").GetString()}:{d.GetProperty("version").GetString()}"));

        var undeployed = await Post(api, slug, "shop", "undeploy", new { lattice = "dev" });
        Assert.Equal(HttpStatusCode.Accepted, undeployed.StatusCode);
        var afterUndeploy = (await undeployed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("deployment");
        Assert.Equal("undeployed", afterUndeploy.GetProperty("desiredState").GetString());
        Assert.Equal("undeployed", afterUndeploy.GetProperty("status").GetProperty("type").GetString());
        Assert.False((await (await Post(api, slug, "shop", "undeploy", new { lattice = "dev" })).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("changed").GetBoolean());

        // After an undeploy, rollback brings back what ran.
        var back = await (await Post(api, slug, "shop", "rollback", new { lattice = "dev" })).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("1", back.GetProperty("deployment").GetProperty("version").GetString());

        await using (var db = portal.CreateDbContext())
        {
            var rows = await db.Deployments.IgnoreQueryFilters().Include(d => d.Lattice).Include(d => d.DesiredVersion)
                .Where(d => d.Application!.Name == "shop" && d.Lattice!.LatticeId.StartsWith(slug)).ToListAsync(Ct);
            Assert.Equal(2, rows.Count);
            Assert.All(rows, d => Assert.Equal(DesiredState.Deployed, d.DesiredState));
            Assert.Equal("1", rows.Single(d => d.Lattice!.Name == "dev").DesiredVersion!.Version);
        }

        Assert.Equal(
            ["application.deploy", "application.deploy", "application.rollback", "application.deploy", "application.undeploy", "application.rollback"],
            (await AuditActionsAsync(portal, slug, "application.")).Where(a => a is not ("application.create" or "application.version.create")));

        var timeline = await api.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}/applications/shop/events?lattice=dev", Ct);
        Assert.Equal(["rolled-back", "undeployed", "rolled-back", "deployed", "deployed"],
            timeline.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
        var paged = await api.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}/applications/shop/events?limit=2", Ct);
        Assert.Equal(2, paged.GetProperty("items").GetArrayLength());
        var rest = await api.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}/applications/shop/events?cursor={paged.GetProperty("nextCursor").GetString()}", Ct);
        Assert.True(rest.GetProperty("items").EnumerateArray().First().GetProperty("id").GetInt64()
            < paged.GetProperty("items").EnumerateArray().Last().GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Rollback_without_history_and_unknown_lattices_are_refused()
    {
        const string slug = "dep-refuse";
        var api = await TenantAsync(portal, slug);
        await PutAsync(api, slug, Simple("shop", "1"));

        Assert.Equal(HttpStatusCode.Conflict, (await Post(api, slug, "shop", "rollback", new { lattice = "dev" })).StatusCode);
        var unknown = await Post(api, slug, "shop", "deploy", new { lattice = "nowhere" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.True((await unknown.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("lattice", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await Post(api, slug, "shop", "deploy", new { lattice = "dev", version = "9" })).StatusCode);
        Assert.Equal(0, (await CountsAsync(portal, slug)).Deployments);
    }

    [Fact]
    public async Task Deleting_a_deployed_application_needs_undeploy_true()
    {
        const string slug = "dep-delete";
        var api = await TenantAsync(portal, slug);
        await PutAsync(api, slug, Simple("shop", "1"));
        await Post(api, slug, "shop", "deploy", new { lattice = "dev" });

        var refused = await api.DeleteAsync($"/api/v1/tenants/{slug}/applications/shop", Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("dev", (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/tenants/{slug}/applications/shop?undeploy=true", Ct)).StatusCode);
        var counts = await CountsAsync(portal, slug);
        Assert.Equal((0, 0, 0, 0), (counts.Applications, counts.Versions, counts.Deployments, counts.Events));
        Assert.Equal("application.delete", (await AuditActionsAsync(portal, slug, "application.")).Last());
    }

    [Fact]
    public async Task Status_is_in_wadms_shape_and_the_reconcilers_reports_land_in_it_and_the_timeline()
    {
        const string slug = "dep-status";
        var api = await TenantAsync(portal, slug);
        await PutAsync(api, slug, Simple("shop", "1"));
        await Post(api, slug, "shop", "deploy", new { lattice = "dev" });

        var scalers = JsonDocument.Parse("""[{"id":"abc","kind":"SpreadScaler","name":"shop-hello","status":{"type":"reconciling","message":"Scaling component on 1 host(s)"}}]""").RootElement;
        await portal.WithScopeAsync(async sp =>
        {
            var writer = sp.GetRequiredService<DeploymentStatusWriter>();
            Assert.True(await writer.RecordStatusAsync($"{slug}-dev", "shop", new DeploymentStatusReport(DeploymentStatusType.Reconciling, "Scaling component on 1 host(s)", scalers), Ct));
            Assert.False(await writer.RecordStatusAsync($"{slug}-dev", "shop", new DeploymentStatusReport(DeploymentStatusType.Reconciling, "Scaling component on 1 host(s)", scalers), Ct));
            Assert.True(await writer.RecordEventAsync($"{slug}-dev", "shop", ApplicationEventKinds.CommandSent, "ScaleComponent on NABC", new { host = "NABC" }, Ct));
            return true;
        });

        var status = await api.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}/applications/shop/status", Ct);
        var dev = Assert.Single(status.GetProperty("lattices").EnumerateArray());
        Assert.Equal("dev", dev.GetProperty("lattice").GetString());
        var wadm = dev.GetProperty("status");
        Assert.Equal("reconciling", wadm.GetProperty("status").GetProperty("type").GetString());
        Assert.Equal("Scaling component on 1 host(s)", wadm.GetProperty("status").GetProperty("message").GetString());
        Assert.Equal("SpreadScaler", Assert.Single(wadm.GetProperty("scalers").EnumerateArray()).GetProperty("kind").GetString());

        var kinds = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}/applications/shop/events", Ct))
            .GetProperty("items").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["command-sent", "status-changed", "deployed", "created"], kinds);
    }

    [Fact]
    public async Task Plan_reports_validation_and_the_default_planners_problems()
    {
        const string slug = "dep-plan";
        var api = await TenantAsync(portal, slug);
        await PutAsync(api, slug, Simple("shop", "1"));

        var plan = await (await Post(api, slug, "shop", "plan", new { lattice = "dev" })).Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.True(plan.GetProperty("valid").GetBoolean());
        Assert.Equal("1", plan.GetProperty("version").GetString());
        Assert.Empty(plan.GetProperty("changes").EnumerateArray());
        Assert.Contains(plan.GetProperty("problems").EnumerateArray(), p => p.GetProperty("message").GetString()!.Contains("No hosts known", StringComparison.Ordinal));
        Assert.Contains(plan.GetProperty("validation").EnumerateArray(), p => p.GetProperty("severity").GetString() == "warning");
        Assert.Equal(0, (await CountsAsync(portal, slug)).Deployments);
    }
}
