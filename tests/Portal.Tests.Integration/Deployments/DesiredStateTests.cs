using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Portal.Api.Deployments.Runtime;
using Portal.Testing;

namespace Portal.Tests.Integration.Deployments;

/// <summary>
/// The reconciler's desired state comes from the deployment rows alone: deployed versions, and the
/// versions they replaced until their cleanup is reported, for every desired-state change anew.
/// </summary>
public sealed class DesiredStateTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Manifest(string version, int instances) => $"""
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: shop
          annotations:
            version: "{version}"
        spec:
          components:
            - name: web
              type: component
              properties:
                image: ghcr.io/example/web:{version}
              traits:
                - type: spreadscaler
                  properties:
                    instances: {instances}
        """;

    [Fact]
    public async Task Deployed_and_retired_versions_follow_the_rows_and_cleanups()
    {
        const string slug = "desired";
        var scenario = new PortalScenario(portal);
        var owner = await scenario.UserAsync($"owner@{slug}.test");
        await scenario.TenantAsync(owner, slug);
        var api = scenario.Client(await scenario.TokenAsync(slug, owner, "read", "write", "deploy", "admin"));
        (await api.PostAsJsonAsync($"/api/v1/tenants/{slug}/lattices", new { name = "dev" }, Ct)).EnsureSuccessStatusCode();
        var apps = $"/api/v1/tenants/{slug}/applications";
        foreach (var (version, instances) in new[] { ("1", 1), ("2", 3) })
        {
            (await api.PostAsync(apps, new StringContent(Manifest(version, instances), Encoding.UTF8, "application/yaml"), Ct)).EnsureSuccessStatusCode();
        }

        async Task Post(string action, object body) => (await api.PostAsJsonAsync($"{apps}/shop/{action}", body, Ct)).EnsureSuccessStatusCode();
        var reader = portal.Services.GetRequiredService<DesiredStateReader>();
        var lattice = $"{slug}-dev";
        async Task<(string Deployed, string Retired)> ReadAsync()
        {
            var desired = await reader.ReadAsync(lattice, Ct);
            return (string.Join(",", desired.Deployed.Select(a => a.Version)), string.Join(",", desired.Retired.Select(a => a.Version)));
        }

        await Post("deploy", new { lattice = "dev", version = "1" });
        Assert.Equal(("1", ""), await ReadAsync());
        var scaler = Assert.Single((await reader.ReadAsync(lattice, Ct)).Deployed[0].Scalers);
        Assert.Equal("shop-web", Assert.IsType<Portal.Lattice.Reconciliation.ComponentSpreadScaler>(scaler).ComponentId);

        await Post("deploy", new { lattice = "dev", version = "2" });
        Assert.Equal(("2", "1"), await ReadAsync());
        reader.CleanupComplete(lattice, "shop", "1");
        Assert.Equal(("2", ""), await ReadAsync());

        // Each change of desired state makes the replaced version's cleanup due again.
        await Post("rollback", new { lattice = "dev" });
        Assert.Equal(("1", "2"), await ReadAsync());
        reader.CleanupComplete(lattice, "shop", "2");
        await Post("deploy", new { lattice = "dev", version = "2" });
        Assert.Equal(("2", "1"), await ReadAsync());

        // Undeployed: nothing deployed, the last version retired until its cleanup is done.
        await Post("undeploy", new { lattice = "dev" });
        Assert.Equal(("", "2"), await ReadAsync());
        reader.CleanupComplete(lattice, "shop", "2");
        Assert.Equal(("", ""), await ReadAsync());
        Assert.Equal([lattice], (await reader.LatticesAsync(Ct)).Where(l => l.StartsWith(slug, StringComparison.Ordinal)));
    }
}
