using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Applications;
using Portal.Lattice.Manifests;
using Portal.Lattice.Reconciliation;

namespace Portal.Api.Deployments.Runtime;

/// <summary>
/// Reads one lattice's desired state from the Deployment rows on every pass: deployed rows give
/// their version's scalers; the version a row replaced (after an upgrade or rollback) and the last
/// version of an undeployed row stay retired until the reconciler reports their cleanup complete.
/// The database is the memory: a new leader rebuilds the same state, and nothing is dropped while
/// NATS or hosts are away.
/// </summary>
public sealed class DesiredStateReader(IServiceScopeFactory scopes)
{
    // Parsing a canonical manifest is pure, and versions are immutable: parse each once.
    private readonly ConcurrentDictionary<Guid, AppScalers> _scalers = new();

    // (lattice, app, version, when the desired state last changed): a cleanup done for one desired
    // state must not hide the cleanup of a later one (deploy v1, undeploy, deploy v1, undeploy).
    private readonly ConcurrentDictionary<(string Lattice, string App, string Version, DateTimeOffset Since), byte> _cleaned = new();
    private readonly ConcurrentDictionary<(string Lattice, string App, string Version), DateTimeOffset> _since = new();

    /// <summary>Lattices (wire ids) that have deployment rows: the ones the leader reconciles.</summary>
    public async Task<IReadOnlyList<string>> LatticesAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.Deployments.IgnoreQueryFilters().AsNoTracking().Select(d => d.Lattice!.LatticeId).Distinct().ToListAsync(cancellationToken);
    }

    public async ValueTask<DesiredLattice> ReadAsync(string latticeId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var rows = await db.Deployments.IgnoreQueryFilters().AsNoTracking()
            .Where(d => d.Lattice!.LatticeId == latticeId)
            .Select(d => new
            {
                App = d.Application!.Name, d.DesiredState, d.DeployedAt,
                DesiredId = d.DesiredVersionId, Desired = d.DesiredVersion!.Version, DesiredCanonical = d.DesiredVersion.Canonical,
                PreviousId = d.PreviousVersionId, Previous = d.PreviousVersion!.Version, PreviousCanonical = d.PreviousVersion.Canonical,
            })
            .ToListAsync(cancellationToken);

        var deployed = new List<AppScalers>();
        var retired = new List<AppScalers>();
        foreach (var row in rows)
        {
            if (row.DesiredState == DesiredState.Deployed && row.DesiredId is { } desiredId)
            {
                deployed.Add(Scalers(desiredId, row.Desired, row.DesiredCanonical));
            }

            if (row.PreviousId is { } previousId && previousId != row.DesiredId && !_cleaned.ContainsKey((latticeId, row.App, row.Previous, row.DeployedAt)))
            {
                retired.Add(Scalers(previousId, row.Previous, row.PreviousCanonical));
                _since[(latticeId, row.App, row.Previous)] = row.DeployedAt;
            }
        }

        return new DesiredLattice(deployed, retired);
    }

    /// <summary>The reconciler reported that <paramref name="version"/> of <paramref name="app"/> owns nothing any more.</summary>
    public void CleanupComplete(string latticeId, string app, string version)
    {
        if (_since.TryGetValue((latticeId, app, version), out var since)) _cleaned[(latticeId, app, version, since)] = 0;
    }

    /// <summary>The scalers of one stored version (canonical manifest JSON).</summary>
    public AppScalers Scalers(Guid versionId, string version, string canonical) =>
        _scalers.GetOrAdd(versionId, _ =>
        {
            var document = ManifestParser.Parse(canonical, ManifestFormat.Json);
            var manifest = document.Manifest ?? throw new InvalidOperationException($"Stored manifest of version {version} does not parse.");
            return ManifestScalers.From(manifest, version);
        });
}
