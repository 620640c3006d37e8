using Microsoft.EntityFrameworkCore;
using Portal.Api.Applications;
using Portal.Api.Applications.Manifests;
using Portal.Api.Audit;
using Portal.Api.Database;
using Portal.Api.Http;
using Portal.Api.Quotas;
using Portal.Api.Tenants.Access;
using Portal.Data;
using Portal.Data.Applications;
using Portal.Lattice.Manifests;
using Portal.Lattice.Reconciliation;

namespace Portal.Api.Deployments;

/// <summary>
/// Desired state: deploy a version to a lattice (validated against the tenant's artifacts at that
/// moment), undeploy, roll back to the version deployed before, plan, and read status. Each change
/// writes one audit event and a timeline entry in its transaction, then signals the reconciler.
/// </summary>
public sealed class DeploymentService(
    PortalDbContext db,
    ApplicationService applications,
    AuditWriter audit,
    ApplicationTimeline timeline,
    IDeploymentSignal signal,
    IDeploymentPlanner planner,
    ApplicationQuota quota,
    TimeProvider clock)
{
    public const string WaitingMessage = "Waiting for the reconciler: the desired state is stored.";
    public const string UndeployedMessage = "Manifest has been undeployed";

    public async Task<DeploymentChangeResponse> DeployAsync(TenantContext context, string name, DeployRequest request, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Deploy);
        var application = await applications.FindAsync(name, cancellationToken);
        var lattice = await LatticeAsync(request.Lattice, cancellationToken);
        var version = await VersionAsync(application, request.Version, cancellationToken);
        var warnings = await ValidateNowAsync(context, version, cancellationToken);
        return await ChangeAsync(context, application, lattice, version, "application.deploy", ApplicationEventKinds.Deployed, $"Deployed {version.Version} to {lattice.Name}.", warnings, cancellationToken);
    }

    /// <summary>Deploys the version that was desired before the current one (the one undeploy or the last deploy replaced).</summary>
    public async Task<DeploymentChangeResponse> RollbackAsync(TenantContext context, string name, LatticeRequest request, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Deploy);
        var application = await applications.FindAsync(name, cancellationToken);
        var lattice = await LatticeAsync(request.Lattice, cancellationToken);
        var previousId = await db.Deployments.Where(d => d.ApplicationId == application.Id && d.LatticeId == lattice.Id).Select(d => d.PreviousVersionId).SingleOrDefaultAsync(cancellationToken)
            ?? throw new ConflictException($"{name} has no earlier version recorded in {lattice.Name} to roll back to. Deploy a version by name instead.");
        var version = await db.ApplicationVersions.AsNoTracking().SingleAsync(v => v.Id == previousId, cancellationToken);
        var warnings = await ValidateNowAsync(context, version, cancellationToken);
        return await ChangeAsync(context, application, lattice, version, "application.rollback", ApplicationEventKinds.RolledBack, $"Rolled back {lattice.Name} to {version.Version}.", warnings, cancellationToken);
    }

    public async Task<DeploymentChangeResponse> UndeployAsync(TenantContext context, string name, LatticeRequest request, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Deploy);
        var application = await applications.FindAsync(name, cancellationToken);
        var lattice = await LatticeAsync(request.Lattice, cancellationToken);
        return await ChangeAsync(context, application, lattice, null, "application.undeploy", ApplicationEventKinds.Undeployed, $"Undeployed from {lattice.Name}.", [], cancellationToken);
    }

    public async Task<ApplicationStatusResponse> StatusAsync(TenantContext context, string name, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        var application = await applications.FindAsync(name, cancellationToken);
        var rows = await DeploymentQueries.ForApplicationsAsync(db, [application.Id], cancellationToken);
        return new ApplicationStatusResponse(application.Name, rows.Select(d => new LatticeStatus(
            d.Lattice, d.LatticeId, d.Version, DeploymentQueries.Word(d.DesiredState), d.StatusUpdatedAt,
            new WadmStatus(DeploymentQueries.Status(d), DeploymentQueries.Scalers(d.Scalers)))).ToList());
    }

    /// <summary>What deploying would do now: validation against today's artifacts, and the planner's commands and problems. Changes nothing.</summary>
    public async Task<DeploymentPlanResponse> PlanAsync(TenantContext context, string name, DeployRequest request, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        var application = await applications.FindAsync(name, cancellationToken);
        var lattice = await LatticeAsync(request.Lattice, cancellationToken);
        var version = await VersionAsync(application, request.Version, cancellationToken);
        var read = await applications.CheckAsync(context, version.Submitted, version.SubmittedFormat, () => version.Version, cancellationToken);
        var plan = await planner.PlanAsync(
            new DeploymentPlanRequest(context.TenantId, application.Name, version.Version, lattice.Name, lattice.LatticeId, version.Canonical, read.Problems),
            cancellationToken);
        // After the planner: it has started the lattice's observer, so daemonscalers count the hosts it sees.
        var use = await quota.DeploymentAsync(context.TenantId, application.Id, lattice.Id, lattice.LatticeId, Scalers(version), cancellationToken);
        IReadOnlyList<PlannedProblem> problems =
        [
            .. plan.Problems,
            .. use.Exceeded.Select(u => new PlannedProblem($"Quota: {u.Describe(application.Name, version.Version, lattice.Name)}. The deploy would be refused.")),
        ];
        return new DeploymentPlanResponse(application.Name, lattice.Name, version.Version, !read.HasErrors, read.Problems, plan.Changes, problems, plan.Planner);
    }

    /// <summary>Sets the desired state of (application, lattice): <paramref name="version"/> deployed, or undeployed when null.</summary>
    private async Task<DeploymentChangeResponse> ChangeAsync(
        TenantContext context, Application application, Data.Tenants.Lattice lattice, ApplicationVersion? version,
        string action, string kind, string message, IReadOnlyList<ManifestProblem> warnings, CancellationToken cancellationToken)
    {
        var desired = version is null ? DesiredState.Undeployed : DesiredState.Deployed;
        var changed = await db.InTransactionAsync(
            async () =>
            {
                var now = clock.GetUtcNow();
                var row = await db.Deployments.SingleOrDefaultAsync(d => d.ApplicationId == application.Id && d.LatticeId == lattice.Id, cancellationToken);
                if (row is null && version is null) return false; // never deployed there: already undeployed
                if (row is not null && row.DesiredState == desired && row.DesiredVersionId == version?.Id) return false;
                if (version is not null)
                {
                    // Locked before counting, so concurrent deploys of one tenant count one after the other.
                    await quota.LockAsync(context.TenantId, cancellationToken);
                    var use = await quota.DeploymentAsync(context.TenantId, application.Id, lattice.Id, lattice.LatticeId, Scalers(version), cancellationToken);
                    if (use.Exceeded.FirstOrDefault() is { } exceeded) throw exceeded.Refusal(application.Name, version.Version, lattice.Name);
                }

                var before = row is null ? null : new { State = DeploymentQueries.Word(row.DesiredState), Version = await VersionNameAsync(row.DesiredVersionId, cancellationToken) };
                row ??= db.Deployments.Add(new Deployment { TenantId = context.TenantId, ApplicationId = application.Id, LatticeId = lattice.Id, DeployedBy = "" }).Entity;
                // What was desired becomes rollback's target; after an undeploy (nothing desired) the earlier target stays.
                if (row.DesiredVersionId is { } current) row.PreviousVersionId = current;
                row.DesiredVersionId = version?.Id;
                row.DesiredState = desired;
                row.StatusType = version is null ? DeploymentStatusType.Undeployed : DeploymentStatusType.Waiting;
                row.StatusMessage = version is null ? UndeployedMessage : WaitingMessage;
                row.Scalers = "[]";
                row.StatusUpdatedAt = now;
                row.DeployedById = context.Principal.UserId;
                row.DeployedBy = context.Principal.Name;
                row.DeployedAt = now;

                await audit.AppendAsync(
                    new AuditEntry(context.TenantId, action, "application", $"{application.Name}@{lattice.Name}",
                        Before: before, After: new { State = DeploymentQueries.Word(desired), Version = version?.Version, Lattice = lattice.Name }),
                    context.Principal.ToAuditActor(),
                    cancellationToken);
                timeline.Add(context.TenantId, application.Id, kind, context.Principal.Name, message, lattice.Name, version?.Version ?? before?.Version,
                    new { from = before?.Version, to = version?.Version });
                return true;
            },
            conflict: $"Someone else changed the deployment of {application.Name} to {lattice.Name} at the same moment. Reload and try again.",
            cancellationToken);

        if (changed)
        {
            await signal.DeploymentChangedAsync(new DeploymentChange(context.TenantId, application.Name, lattice.LatticeId, lattice.Name, version?.Version, desired), cancellationToken);
        }

        var rows = await DeploymentQueries.ForApplicationsAsync(db, [application.Id], cancellationToken);
        var current = rows.SingleOrDefault(d => d.LatticeId == lattice.LatticeId) ?? new DeploymentRow(
            application.Id, application.Name, lattice.Name, lattice.LatticeId, null, null, null, DesiredState.Undeployed,
            DeploymentStatusType.Undeployed, null, "[]", clock.GetUtcNow(), "", clock.GetUtcNow());
        return new DeploymentChangeResponse(DeploymentQueries.ToResponse(current), changed, warnings);
    }

    /// <summary>The manifest checked against the tenant's artifacts as they are now (one may have been deleted since the put).</summary>
    private async Task<IReadOnlyList<ManifestProblem>> ValidateNowAsync(TenantContext context, ApplicationVersion version, CancellationToken cancellationToken)
    {
        var read = await applications.CheckAsync(context, version.Submitted, version.SubmittedFormat, () => version.Version, cancellationToken);
        if (read.HasErrors) throw new ManifestRejectedException(read.Problems);
        return read.Problems;
    }

    private async Task<Data.Tenants.Lattice> LatticeAsync(string? name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name)) throw ValidationException.For("lattice", "lattice is required: the environment's name, e.g. dev.");
        return await db.Lattices.AsNoTracking().SingleOrDefaultAsync(l => l.Name == name, cancellationToken)
            ?? throw ValidationException.For("lattice", $"There is no lattice '{name}' in this tenant.");
    }

    private async Task<ApplicationVersion> VersionAsync(Application application, string? version, CancellationToken cancellationToken)
    {
        var query = db.ApplicationVersions.AsNoTracking().Where(v => v.ApplicationId == application.Id);
        // Absent or "latest": the newest put version, as wadm's deploy.
        var found = string.IsNullOrWhiteSpace(version) || version == "latest"
            ? await query.OrderByDescending(v => v.Sequence).FirstOrDefaultAsync(cancellationToken)
            : await query.SingleOrDefaultAsync(v => v.Version == version, cancellationToken);
        return found ?? throw new NotFoundException($"No version '{version}' of {application.Name}.");
    }

    /// <summary>The scalers a stored version becomes (its canonical manifest always parses; null if it somehow does not).</summary>
    private static AppScalers? Scalers(ApplicationVersion version) =>
        ManifestParser.Parse(version.Canonical, ManifestFormat.Json).Manifest is { } manifest ? ManifestScalers.From(manifest, version.Version) : null;

    private async Task<string?> VersionNameAsync(Guid? id, CancellationToken cancellationToken) =>
        id is null ? null : await db.ApplicationVersions.Where(v => v.Id == id).Select(v => v.Version).SingleOrDefaultAsync(cancellationToken);
}
