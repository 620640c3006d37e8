using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Api.Applications.Diff;
using Portal.Api.Applications.Manifests;
using Portal.Api.Applications.Validation;
using Portal.Api.Audit;
using Portal.Api.Database;
using Portal.Api.Deployments;
using Portal.Api.Http;
using Portal.Api.Quotas;
using Portal.Api.Tenants.Access;
using Portal.Data;
using Portal.Data.Applications;

namespace Portal.Api.Applications;

/// <summary>
/// A tenant's applications and their immutable versions: put a manifest (creates the application
/// or adds a version), list, read, export, diff, delete. Each change writes one audit event and a
/// timeline entry in its transaction. Deploying lives in <see cref="DeploymentService"/>.
/// </summary>
public sealed class ApplicationService(
    PortalDbContext db,
    AuditWriter audit,
    ApplicationTimeline timeline,
    ArtifactReferenceChecker checker,
    IDeploymentSignal signal,
    ApplicationQuota quota,
    TimeProvider clock)
{
    /// <summary>Reads and checks a manifest (wadm's rules and ours) without storing anything.</summary>
    public async Task<ManifestReadResult> CheckAsync(TenantContext context, string text, string? format, Func<string>? newVersion = null, CancellationToken cancellationToken = default)
    {
        var read = ManifestReader.Read(text, format, newVersion ?? (() => VersionIds.NewUlid(clock.GetUtcNow())));
        if (read.HasErrors || read.Manifest is null) return read;
        var ours = await checker.CheckAsync(context, read, cancellationToken);
        return ours.Count == 0 ? read : read with { Problems = [.. read.Problems, .. ours] };
    }

    /// <summary>wadm's put: a new application, or a new version of one. Reusing a version string is a 409; errors are a 422 and store nothing.</summary>
    public async Task<ApplicationPutResponse> PutAsync(TenantContext context, string text, string? format, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Write);
        var assigned = false;
        var read = await CheckAsync(context, text, format, () => { assigned = true; return VersionIds.NewUlid(clock.GetUtcNow()); }, cancellationToken);
        if (read.HasErrors || read.Manifest is null) throw new ManifestRejectedException(read.Problems);
        var manifest = read.Manifest;
        var version = manifest.Version!;
        if (version.Length > 128) throw new ManifestRejectedException([Problem(read, "metadata.annotations.version", "A version may be at most 128 characters.")]);
        if (manifest.Name.Length > 100) throw new ManifestRejectedException([Problem(read, "metadata.name", "An application name may be at most 100 characters.")]);

        return await db.InTransactionAsync(
            async () =>
            {
                var now = clock.GetUtcNow();
                var application = await db.Applications.SingleOrDefaultAsync(a => a.Name == manifest.Name, cancellationToken);
                var created = application is null;
                if (application is null)
                {
                    // Locked before counting: a concurrent put of another new name counts after this one commits
                    // (a put of the same new name meets the unique index instead).
                    await quota.LockAsync(context.TenantId, cancellationToken);
                    await quota.EnsureCanCreateApplicationAsync(context.TenantId, cancellationToken);
                    application = db.Applications.Add(new Application
                    {
                        TenantId = context.TenantId, Name = manifest.Name, CreatedById = context.Principal.UserId, CreatedBy = context.Principal.Name, CreatedAt = now,
                    }).Entity;
                }
                else if (await db.ApplicationVersions.AnyAsync(v => v.ApplicationId == application.Id && v.Version == version, cancellationToken))
                {
                    throw new ConflictException(VersionTaken(manifest.Name, version));
                }

                application.UpdatedAt = now;
                var row = db.ApplicationVersions.Add(new ApplicationVersion
                {
                    TenantId = context.TenantId,
                    ApplicationId = application.Id,
                    Version = version,
                    Submitted = text,
                    SubmittedFormat = read.Format,
                    Canonical = read.CanonicalJson,
                    Digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(read.CanonicalJson))),
                    Description = manifest.Description is { Length: > 1000 } text1000 ? text1000[..1000] : manifest.Description,
                    ImageRefs = manifest.ImageRefs.Select(ImageRefs.Normalize).Distinct().ToArray(),
                    CreatedById = context.Principal.UserId,
                    CreatedBy = context.Principal.Name,
                    CreatedAt = now,
                }).Entity;

                var summary = new { Application = manifest.Name, Version = version, row.Digest, VersionAssigned = assigned };
                await audit.AppendAsync(
                    new AuditEntry(context.TenantId, created ? "application.create" : "application.version.create", "application", created ? manifest.Name : $"{manifest.Name}@{version}", After: summary),
                    context.Principal.ToAuditActor(),
                    cancellationToken);
                timeline.Add(context.TenantId, application.Id, created ? ApplicationEventKinds.Created : ApplicationEventKinds.VersionCreated, context.Principal.Name,
                    created ? $"Created {manifest.Name} with version {version}." : $"Added version {version}.", version: version, data: new { row.Digest });
                await db.SaveChangesAsync(cancellationToken);

                return new ApplicationPutResponse(manifest.Name, version, created, assigned, ToSummary(row, []), read.Problems.Where(p => !p.IsError).ToList());
            },
            conflict: VersionTaken(manifest.Name, version),
            cancellationToken);
    }

    public async Task<CursorPage<ApplicationSummary>> ListAsync(TenantContext context, string? search, string? cursor, int? limit, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        var take = Cursor.Limit(limit);
        var query = db.Applications.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = $"%{search.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_")}%";
            query = query.Where(a => EF.Functions.ILike(a.Name, pattern));
        }

        if (Cursor.Decode(cursor) is { } after) query = query.Where(a => string.Compare(a.Name, after) > 0);
        var rows = await query.OrderBy(a => a.Name).Take(take + 1).ToListAsync(cancellationToken);
        var summaries = await SummariesAsync(rows, cancellationToken);
        return Cursor.Page(summaries, take, a => a.Name);
    }

    public async Task<ApplicationDetail> GetAsync(TenantContext context, string name, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        var application = await FindAsync(name, cancellationToken);
        var summary = (await SummariesAsync([application], cancellationToken)).Single();
        var deployments = await DeploymentQueries.ForApplicationsAsync(db, [application.Id], cancellationToken);
        var versions = await db.ApplicationVersions.AsNoTracking().Where(v => v.ApplicationId == application.Id).OrderBy(v => v.Sequence).ToListAsync(cancellationToken);
        return new ApplicationDetail(summary, versions.Select(v => ToSummary(v, deployments)).ToList(), deployments.Select(DeploymentQueries.ToResponse).ToList());
    }

    public async Task<ApplicationVersionDetail> GetVersionAsync(TenantContext context, string name, string version, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        var application = await FindAsync(name, cancellationToken);
        var row = await FindVersionAsync(application, version, cancellationToken);
        var deployments = await DeploymentQueries.ForApplicationsAsync(db, [application.Id], cancellationToken);
        using var manifest = JsonDocument.Parse(row.Canonical);
        return new ApplicationVersionDetail(application.Name, ToSummary(row, deployments), manifest.RootElement.Clone(), row.Submitted, row.SubmittedFormat);
    }

    /// <summary>The version's canonical manifest as <c>yaml</c> or <c>json</c>, for export and round trips.</summary>
    public async Task<string> ExportAsync(TenantContext context, string name, string version, string format, CancellationToken cancellationToken = default)
    {
        var detail = await GetVersionAsync(context, name, version, cancellationToken);
        return ManifestReader.Rewrite(detail.Manifest.GetRawText(), format);
    }

    /// <summary>A line diff of two versions' canonical YAML, as unified-diff hunks.</summary>
    public async Task<ApplicationDiff> DiffAsync(TenantContext context, string name, string? from, string? to, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        new FieldErrors()
            .When(string.IsNullOrWhiteSpace(from), "from", "from is required: the older version.")
            .When(string.IsNullOrWhiteSpace(to), "to", "to is required: the newer version.")
            .ThrowIfAny();
        var application = await FindAsync(name, cancellationToken);
        var older = await FindVersionAsync(application, from!, cancellationToken);
        var newer = await FindVersionAsync(application, to!, cancellationToken);
        var hunks = LineDiff.Compare(LineDiff.Lines(ManifestReader.Rewrite(older.Canonical, ManifestReader.Yaml)), LineDiff.Lines(ManifestReader.Rewrite(newer.Canonical, ManifestReader.Yaml)));
        var lines = hunks.SelectMany(h => h.Lines).ToList();
        return new ApplicationDiff(application.Name, older.Version, newer.Version, lines.Count(l => l.Op == "+"), lines.Count(l => l.Op == "-"), hunks);
    }

    /// <summary>
    /// Deletes the application, its versions, deployments and timeline. While it is deployed to a
    /// lattice this is refused (409 naming the lattices) unless <paramref name="undeploy"/> is set:
    /// then it is undeployed everywhere (needs the deploy permission too) and the reconciler is told
    /// to clean up what ran, before the rows go.
    /// </summary>
    public async Task DeleteAsync(TenantContext context, string name, bool undeploy, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Write);
        if (undeploy) context.Demand(TenantPermission.Deploy);
        var removed = await db.InTransactionAsync(
            async () =>
            {
                var application = await db.Applications.SingleOrDefaultAsync(a => a.Name == name, cancellationToken)
                    ?? throw new NotFoundException($"No application '{name}'.");
                var deployed = await db.Deployments.AsNoTracking()
                    .Where(d => d.ApplicationId == application.Id && d.DesiredState == DesiredState.Deployed)
                    .Select(d => new { d.Lattice!.Name, d.Lattice.LatticeId, Version = d.DesiredVersion!.Version })
                    .ToListAsync(cancellationToken);
                if (deployed.Count > 0 && !undeploy)
                {
                    throw new ConflictException(
                        $"{name} is deployed to {string.Join(", ", deployed.Select(d => d.Name))}. Undeploy it first, or delete with ?undeploy=true to undeploy and delete at once.");
                }

                var versions = await db.ApplicationVersions.CountAsync(v => v.ApplicationId == application.Id, cancellationToken);
                db.Applications.Remove(application);
                await audit.AppendAsync(
                    new AuditEntry(context.TenantId, "application.delete", "application", name,
                        Before: new { Application = name, Versions = versions, UndeployedFrom = deployed.Select(d => new { Lattice = d.Name, d.Version }) }),
                    context.Principal.ToAuditActor(),
                    cancellationToken);
                return deployed.Select(d => new DeploymentChange(context.TenantId, name, d.LatticeId, d.Name, null, DesiredState.Undeployed, ApplicationRemoved: true)).ToList();
            },
            cancellationToken: cancellationToken);

        // After commit: the reconciler removes what the application ran; its desired state is gone.
        foreach (var change in removed) await signal.DeploymentChangedAsync(change, cancellationToken);
    }

    /// <summary>Deletes one version; refused (409) while it is the desired version of a deployment, or when it is the only one.</summary>
    public async Task DeleteVersionAsync(TenantContext context, string name, string version, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Write);
        await db.InTransactionAsync(
            async () =>
            {
                var application = await db.Applications.SingleOrDefaultAsync(a => a.Name == name, cancellationToken)
                    ?? throw new NotFoundException($"No application '{name}'.");
                var row = await db.ApplicationVersions.SingleOrDefaultAsync(v => v.ApplicationId == application.Id && v.Version == version, cancellationToken)
                    ?? throw new NotFoundException($"No version '{version}' of {name}.");
                var deployedTo = await db.Deployments.Where(d => d.DesiredVersionId == row.Id).Select(d => d.Lattice!.Name).ToListAsync(cancellationToken);
                if (deployedTo.Count > 0)
                {
                    throw new ConflictException($"Version {version} of {name} is deployed to {string.Join(", ", deployedTo)}. Deploy another version or undeploy first.");
                }

                if (await db.ApplicationVersions.CountAsync(v => v.ApplicationId == application.Id, cancellationToken) == 1)
                {
                    throw new ConflictException($"{version} is the only version of {name}; delete the application instead.");
                }

                db.ApplicationVersions.Remove(row);
                await audit.AppendAsync(
                    new AuditEntry(context.TenantId, "application.version.delete", "application", $"{name}@{version}", Before: new { Application = name, row.Version, row.Digest }),
                    context.Principal.ToAuditActor(),
                    cancellationToken);
                timeline.Add(context.TenantId, application.Id, ApplicationEventKinds.VersionDeleted, context.Principal.Name, $"Deleted version {version}.", version: version);
                return true;
            },
            cancellationToken: cancellationToken);
    }

    /// <summary>The timeline, newest first; optionally of one lattice.</summary>
    public async Task<CursorPage<ApplicationEventResponse>> EventsAsync(TenantContext context, string name, string? lattice, string? cursor, int? limit, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        var take = Cursor.Limit(limit);
        var application = await FindAsync(name, cancellationToken);
        var query = db.ApplicationEvents.AsNoTracking().Where(e => e.ApplicationId == application.Id);
        if (!string.IsNullOrWhiteSpace(lattice)) query = query.Where(e => e.Lattice == lattice);
        if (Cursor.Decode(cursor) is { } position)
        {
            if (!long.TryParse(position, out var before)) throw ValidationException.For("cursor", "The cursor is not one this API issued.");
            query = query.Where(e => e.Id < before);
        }

        var rows = await query.OrderByDescending(e => e.Id).Take(take + 1).ToListAsync(cancellationToken);
        var items = rows.Select(e =>
        {
            JsonElement? data = null;
            if (e.Data is not null) { using var parsed = JsonDocument.Parse(e.Data); data = parsed.RootElement.Clone(); }
            return new ApplicationEventResponse(e.Id, e.At, e.Kind, e.Lattice, e.Version, e.Actor, e.Message, data);
        }).ToList();
        return Cursor.Page(items, take, e => e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    internal async Task<Application> FindAsync(string name, CancellationToken cancellationToken) =>
        await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Name == name, cancellationToken)
        ?? throw new NotFoundException($"No application '{name}'.");

    private async Task<ApplicationVersion> FindVersionAsync(Application application, string version, CancellationToken cancellationToken) =>
        await db.ApplicationVersions.AsNoTracking().SingleOrDefaultAsync(v => v.ApplicationId == application.Id && v.Version == version, cancellationToken)
        ?? throw new NotFoundException($"No version '{version}' of {application.Name}.");

    private async Task<List<ApplicationSummary>> SummariesAsync(IReadOnlyList<Application> applications, CancellationToken cancellationToken)
    {
        var ids = applications.Select(a => a.Id).ToList();
        var latest = await db.ApplicationVersions.AsNoTracking()
            .Where(v => ids.Contains(v.ApplicationId))
            .GroupBy(v => v.ApplicationId)
            .Select(g => new { ApplicationId = g.Key, Count = g.Count(), Latest = g.OrderByDescending(v => v.Sequence).Select(v => new { v.Version, v.Description }).First() })
            .ToDictionaryAsync(x => x.ApplicationId, cancellationToken);
        var deployments = await DeploymentQueries.ForApplicationsAsync(db, ids, cancellationToken);
        return applications.Select(a =>
        {
            var versions = latest.GetValueOrDefault(a.Id);
            return new ApplicationSummary(
                a.Name, versions?.Latest.Description, versions?.Latest.Version ?? "", versions?.Count ?? 0,
                deployments.Where(d => d.ApplicationId == a.Id).Select(DeploymentQueries.ToSummary).ToList(),
                a.CreatedBy, a.CreatedAt, a.UpdatedAt);
        }).ToList();
    }

    private static ApplicationVersionSummary ToSummary(ApplicationVersion v, IReadOnlyList<DeploymentRow> deployments) => new(
        v.Version, v.Sequence, v.Description, v.Digest, v.CreatedBy, v.CreatedAt,
        deployments.Where(d => d.DesiredVersionId == v.Id && d.DesiredState == DesiredState.Deployed).Select(d => d.Lattice).ToList());

    private static ManifestProblem Problem(ManifestReadResult read, string path, string message)
    {
        var (line, column) = read.PositionOf(path);
        return new ManifestProblem(path, line, column, message, ManifestProblem.Error);
    }

    private static string VersionTaken(string name, string version) =>
        $"Version {version} of {name} already exists. Versions are immutable: give the manifest a new metadata.annotations.version.";
}
