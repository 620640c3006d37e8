using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Portal.Data.Billing;
using Portal.Testing;
using Portal.Testing.Billing;
using static Portal.Tests.Integration.Applications.ApplicationTestKit;

namespace Portal.Tests.Integration.Applications;

/// <summary>A portal whose default plan allows 3 applications and 10 component instances per tenant.</summary>
public sealed class SmallApplicationQuotaPortal(PortalServers servers) : PortalWebFactory(servers)
{
    public const int Applications = 3;
    public const int Instances = 10;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await this.CapDefaultPlanAsync((BillingUnit.Applications, Applications), (BillingUnit.Instances, Instances));
    }
}

/// <summary>The Applications and Instances quotas: refused at the point of change with nothing stored, shown by plan, freed by undeploy, race-proof.</summary>
public sealed class ApplicationQuotaTests(SmallApplicationQuotaPortal portal) : IClassFixture<SmallApplicationQuotaPortal>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<HttpResponseMessage> Post(HttpClient api, string slug, string app, string action, object body) =>
        api.PostAsJsonAsync($"/api/v1/tenants/{slug}/applications/{app}/{action}", body, Ct);

    private static async Task<JsonElement> QuotaProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("/problems/quota-exceeded", problem.GetProperty("type").GetString());
        Assert.Equal("Quota exceeded", problem.GetProperty("title").GetString());
        return problem;
    }

    [Fact]
    public async Task A_new_application_past_the_limit_is_refused_and_stores_nothing()
    {
        const string slug = "quota-apps";
        var api = await TenantAsync(portal, slug);
        for (var i = 1; i <= SmallApplicationQuotaPortal.Applications; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await PutAsync(api, slug, Simple($"app{i}", "1"))).StatusCode);
        }

        var before = await CountsAsync(portal, slug);
        var problem = await QuotaProblemAsync(await PutAsync(api, slug, Simple("app4", "1")));

        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("3 of 3 applications", detail, StringComparison.Ordinal);
        Assert.Contains("(limit plan 'free')", detail, StringComparison.Ordinal);
        Assert.Equal("applications", problem.GetProperty("quota").GetString());
        Assert.Equal(3, problem.GetProperty("used").GetInt64());
        Assert.Equal(3, problem.GetProperty("limit").GetInt32());
        Assert.Equal("free", problem.GetProperty("plan").GetString());
        Assert.Equal("plan 'free': upgrade the plan, or ask a platform administrator to raise applications", problem.GetProperty("setting").GetString());
        Assert.Equal(before, await CountsAsync(portal, slug));

        // A new version of an existing application is not a new application.
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(api, slug, Simple("app1", "2"))).StatusCode);
    }

    [Fact]
    public async Task Deploy_and_rollback_past_the_instance_limit_are_refused_and_store_nothing()
    {
        const string slug = "quota-deploy";
        var api = await TenantAsync(portal, slug);
        await PutAsync(api, slug, Simple("big", "1", instances: 6));
        await PutAsync(api, slug, Simple("big", "2", instances: 2));
        await PutAsync(api, slug, Simple("small", "1", instances: 5));
        Assert.Equal(HttpStatusCode.Accepted, (await Post(api, slug, "big", "deploy", new { lattice = "dev", version = "1" })).StatusCode);

        var before = await CountsAsync(portal, slug);
        var problem = await QuotaProblemAsync(await Post(api, slug, "small", "deploy", new { lattice = "dev" }));
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("deploying v1 of small to dev would use 11 of 10 instances (limit plan 'free'; 6 in use now)", detail, StringComparison.Ordinal);
        Assert.Equal("instances", problem.GetProperty("quota").GetString());
        Assert.Equal(6, problem.GetProperty("used").GetInt64());
        Assert.Equal(11, problem.GetProperty("requested").GetInt64());
        Assert.Equal(before, await CountsAsync(portal, slug));

        // Replacing big's 6 by 2 leaves room for small's 5; rolling big back to 6 would not fit.
        Assert.Equal(HttpStatusCode.Accepted, (await Post(api, slug, "big", "deploy", new { lattice = "dev", version = "2" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Post(api, slug, "small", "deploy", new { lattice = "dev" })).StatusCode);
        before = await CountsAsync(portal, slug);
        var rollback = await QuotaProblemAsync(await Post(api, slug, "big", "rollback", new { lattice = "dev" }));
        Assert.Contains("would use 11 of 10 instances", rollback.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync(portal, slug));
    }

    [Fact]
    public async Task Plan_lists_the_quota_problem_and_undeploy_frees_headroom()
    {
        const string slug = "quota-plan";
        var api = await TenantAsync(portal, slug, "dev", "prod");
        await PutAsync(api, slug, Simple("big", "1", instances: 8));
        await PutAsync(api, slug, Simple("small", "1", instances: 4));
        Assert.Equal(HttpStatusCode.Accepted, (await Post(api, slug, "big", "deploy", new { lattice = "prod" })).StatusCode);

        var plan = await (await Post(api, slug, "small", "plan", new { lattice = "dev" })).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(plan.GetProperty("problems").EnumerateArray(), p => p.GetProperty("message").GetString()!
            .StartsWith("Quota: deploying v1 of small to dev would use 12 of 10 instances (limit plan 'free'", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Post(api, slug, "small", "deploy", new { lattice = "dev" })).StatusCode);

        // Instances count across lattices; undeploying big in prod makes room in dev.
        Assert.Equal(HttpStatusCode.Accepted, (await Post(api, slug, "big", "undeploy", new { lattice = "prod" })).StatusCode);
        var after = await (await Post(api, slug, "small", "plan", new { lattice = "dev" })).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.DoesNotContain(after.GetProperty("problems").EnumerateArray(), p => p.GetProperty("message").GetString()!.StartsWith("Quota:", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Accepted, (await Post(api, slug, "small", "deploy", new { lattice = "dev" })).StatusCode);
    }

    [Fact]
    public async Task Concurrent_creates_get_only_the_remaining_headroom()
    {
        const string slug = "quota-race-apps";
        var api = await TenantAsync(portal, slug);
        await PutAsync(api, slug, Simple("first", "1"));

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => PutAsync(api, slug, Simple($"racer{i}", "1"))));

        Assert.Equal(SmallApplicationQuotaPortal.Applications - 1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode));
        Assert.Equal(SmallApplicationQuotaPortal.Applications, (await CountsAsync(portal, slug)).Applications);
    }

    [Fact]
    public async Task Concurrent_deploys_get_only_the_remaining_headroom()
    {
        const string slug = "quota-race-deploy";
        var api = await TenantAsync(portal, slug, "dev", "stage", "prod", "qa", "perf", "demo");
        await PutAsync(api, slug, Simple("shop", "1", instances: 4));
        string[] lattices = ["dev", "stage", "prod", "qa", "perf", "demo"];

        // Six deploys of 4 instances each at once against a limit of 10: two fit.
        var responses = await Task.WhenAll(lattices.Select(l => Post(api, slug, "shop", "deploy", new { lattice = l })));

        Assert.Equal(2, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(4, responses.Count(r => r.StatusCode == HttpStatusCode.UnprocessableEntity));
        Assert.Equal(2, (await CountsAsync(portal, slug)).Deployments);
        Assert.Equal(2, (await AuditActionsAsync(portal, slug, "application.deploy")).Count);
    }
}
