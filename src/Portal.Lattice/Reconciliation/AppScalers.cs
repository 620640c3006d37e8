namespace Portal.Lattice.Reconciliation;

/// <summary>
/// One version of one application as scalers: the spread/daemon/link scalers with their config and
/// secret scalers attached (<see cref="ScalerSpec.Configs"/>). Built from a manifest by the manifest
/// model; this type knows nothing of manifests.
/// </summary>
public sealed record AppScalers(string AppName, string Version, IReadOnlyList<ScalerSpec> Scalers)
{
    /// <summary>
    /// Every scaler once (by id), each one's configs before it: the order wadm reconciles in and
    /// the order of the status's <c>scalers</c> list.
    /// </summary>
    public IReadOnlyList<ScalerSpec> All
    {
        get
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var all = new List<ScalerSpec>();
            foreach (var scaler in Scalers)
            {
                foreach (var config in scaler.Configs.Append(scaler))
                {
                    if (seen.Add(config.Id)) all.Add(config);
                }
            }

            return all;
        }
    }

    /// <summary>
    /// The upgrade diff (protocol notes 4.3 step 5): scalers of <paramref name="previous"/> whose id
    /// is not in <paramref name="next"/> are cleaned up; the others carry on unchanged. With no next
    /// version (undeploy) every scaler of the previous one is.
    /// </summary>
    public static IReadOnlyList<ScalerSpec> Retired(AppScalers previous, AppScalers? next)
    {
        var keep = next?.All.Select(s => s.Id).ToHashSet(StringComparer.Ordinal) ?? [];
        return previous.All.Where(s => !keep.Contains(s.Id)).ToList();
    }
}
