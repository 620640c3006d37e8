using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Testing;

namespace Portal.Tests.Integration.Billing;

internal static class PlanTestKit
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A platform admin's REST client (a token of their own tenant, admin scope).</summary>
    public static async Task<HttpClient> PlatformAdminAsync(PortalWebFactory portal, string slug)
    {
        var scenario = new PortalScenario(portal);
        var admin = await scenario.UserAsync($"admin@{slug}.test");
        await using (var db = portal.CreateDbContext())
        {
            await db.Users.Where(u => u.Id == admin.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsPlatformAdmin, true), Ct);
        }

        await scenario.TenantAsync(admin, slug);
        return scenario.Client(await scenario.TokenAsync(slug, admin, "read", "write", "deploy", "admin"));
    }

    /// <summary>Sets a hard cap for one tenant and unit through the admin API.</summary>
    public static async Task OverrideAsync(HttpClient admin, string tenant, string unit, long included)
    {
        var response = await admin.PutAsJsonAsync($"/api/v1/admin/tenants/{tenant}/plan/overrides/{unit}", new { included, reason = "test" }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A 422 quota-exceeded problem, its fields checked against the refusal's numbers.</summary>
    public static async Task<JsonElement> QuotaProblemAsync(HttpResponseMessage response, string quota, long used, long limit)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("/problems/quota-exceeded", problem.GetProperty("type").GetString());
        Assert.Equal(quota, problem.GetProperty("quota").GetString());
        Assert.Equal(used, problem.GetProperty("used").GetInt64());
        Assert.Equal(limit, problem.GetProperty("limit").GetInt64());
        Assert.Equal("free", problem.GetProperty("plan").GetString());
        Assert.Contains("ask a platform administrator", problem.GetProperty("setting").GetString(), StringComparison.Ordinal);
        Assert.Contains("ask a platform administrator", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        return problem;
    }
}
