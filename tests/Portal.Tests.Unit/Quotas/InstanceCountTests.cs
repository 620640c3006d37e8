using Portal.Api.Quotas;
using Portal.Lattice.Reconciliation;

namespace Portal.Tests.Unit.Quotas;

/// <summary>What one deployed version counts against the Instances quota.</summary>
public sealed class InstanceCountTests
{
    private static readonly Dictionary<string, string> East = new() { ["zone"] = "east" };
    private static readonly Dictionary<string, string> West = new() { ["zone"] = "west" };

    private static AppScalers App() => new("shop", "1",
    [
        new ComponentSpreadScaler { AppName = "shop", ComponentName = "api", ComponentId = "shop-api", ImageRef = "r/api:1", Instances = 3 },
        new ComponentDaemonScaler
        {
            AppName = "shop", ComponentName = "edge", ComponentId = "shop-edge", ImageRef = "r/edge:1", Instances = 2,
            Spreads = [new Spread("east", East)],
        },
        new ProviderSpreadScaler { AppName = "shop", ComponentName = "http", ProviderId = "shop-http", ImageRef = "r/http:1", Instances = 5 },
    ]);

    [Fact]
    public void Spreads_count_their_instances_and_providers_nothing()
    {
        Assert.Equal(3 + 2, InstanceCount.Of(App(), null));
    }

    [Fact]
    public void Daemons_count_instances_on_every_matching_observed_host_and_at_least_one()
    {
        Assert.Equal(3 + 2 * 2, InstanceCount.Of(App(), [East, East, West]));
        Assert.Equal(3 + 2, InstanceCount.Of(App(), [West]));
        Assert.Equal(3 + 2, InstanceCount.Of(App(), []));
    }
}
