using Portal.Lattice.Reconciliation;

namespace Portal.Api.Quotas;

/// <summary>The component instances one deployed version counts against the Instances quota (rule in <see cref="QuotaOptions.Instances"/>).</summary>
public static class InstanceCount
{
    public static long Of(AppScalers app, IReadOnlyList<IReadOnlyDictionary<string, string>>? hosts) =>
        app.Scalers.Sum(scaler => scaler switch
        {
            ComponentSpreadScaler s => (long)s.Instances,
            ComponentDaemonScaler d => d.Instances * (long)Math.Max(1, MatchingHosts(d.Spreads, hosts)),
            _ => 0L,
        });

    private static int MatchingHosts(IReadOnlyList<Spread> spreads, IReadOnlyList<IReadOnlyDictionary<string, string>>? hosts)
    {
        if (hosts is null) return 1;
        var effective = spreads.Count == 0 ? [Spread.Default] : spreads;
        return hosts.Count(labels => effective.Any(s => s.Matches(labels)));
    }
}
