using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Portal.Api.Deployments;

/// <summary>
/// Pushes "a deployment's status or timeline changed" to the console's circuits, per tenant.
/// <see cref="DeploymentStatusWriter"/> saves through <see cref="SaveAndNotifyAsync"/>: the rows
/// and a Postgres NOTIFY commit together, and this replica's subscribers hear at once.
/// <see cref="DeploymentStatusListener"/> LISTENs, so writes made on other replicas (where the
/// reconciler may run) reach subscribers here too. A subscriber only ever receives notices of the
/// tenant it subscribed for.
/// </summary>
public sealed class DeploymentStatusFeed(ILogger<DeploymentStatusFeed> logger)
{
    /// <summary>The Postgres NOTIFY channel.</summary>
    public const string Channel = "portal_deployment_status";

    // Marks this replica's own NOTIFYs, which its subscribers already had after the commit.
    private readonly string _origin = Guid.NewGuid().ToString("N");
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, List<Subscription>> _byTenant = [];
    private volatile bool _listening;

    /// <summary>Whether notices from other replicas arrive (the LISTEN connection is up).</summary>
    public bool Listening => _listening;

    /// <summary>Raised when <see cref="Listening"/> changes, with its new value.</summary>
    public event Action<bool>? ListeningChanged;

    /// <summary>Calls <paramref name="onNotice"/> for each change to <paramref name="tenantId"/>'s deployments until disposed.</summary>
    public IDisposable Subscribe(Guid tenantId, Func<DeploymentStatusNotice, Task> onNotice)
    {
        var subscription = new Subscription(this, tenantId, onNotice);
        lock (_gate)
        {
            if (!_byTenant.TryGetValue(tenantId, out var list)) _byTenant[tenantId] = list = [];
            list.Add(subscription);
        }
        return subscription;
    }

    /// <summary>
    /// Saves <paramref name="db"/>'s changes and NOTIFYs in the same transaction. Inside a
    /// transaction the caller owns, the NOTIFY goes out when the caller commits (and reaches this
    /// replica through its listener); otherwise this replica's subscribers are told after the commit.
    /// </summary>
    public async Task SaveAndNotifyAsync(DbContext db, DeploymentStatusNotice notice, CancellationToken cancellationToken = default)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            await db.SaveChangesAsync(cancellationToken);
            await NotifyAsync(db, notice, origin: null, cancellationToken);
            return;
        }
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
            await NotifyAsync(db, notice, _origin, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        Dispatch(notice);
    }

    /// <summary>A NOTIFY payload from the listener.</summary>
    internal void Received(string payload)
    {
        if (DeploymentStatusPayload.TryParse(payload) is not { } parsed)
        {
            logger.LogWarning("Ignored a malformed {Channel} notification.", Channel);
            return;
        }
        if (parsed.Origin == _origin) return;
        Dispatch(new DeploymentStatusNotice(parsed.TenantId, parsed.Application, parsed.LatticeId));
    }

    internal void SetListening(bool listening)
    {
        if (_listening == listening) return;
        _listening = listening;
        Raise(listening);
        if (!listening) return;
        // Notices sent while the listener was away are lost: every subscriber re-queries once,
        // each with its own tenant's id only.
        foreach (var tenantId in Tenants()) Dispatch(new DeploymentStatusNotice(tenantId, null, null));
    }

    private static Task NotifyAsync(DbContext db, DeploymentStatusNotice notice, string? origin, CancellationToken cancellationToken)
    {
        var payload = new DeploymentStatusPayload(origin, notice.TenantId, notice.Application ?? "", notice.LatticeId ?? "").ToJson();
        // pg_notify rather than NOTIFY: the payload is a parameter, never spliced into SQL.
        return db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {payload})", cancellationToken);
    }

    private void Dispatch(DeploymentStatusNotice notice)
    {
        Subscription[] targets;
        lock (_gate)
        {
            if (!_byTenant.TryGetValue(notice.TenantId, out var list)) return;
            targets = [.. list];
        }
        // Not awaited: the writer (the reconciler) must not wait for pages to re-query.
        foreach (var subscription in targets) _ = RunAsync(subscription, notice);
    }

    private async Task RunAsync(Subscription subscription, DeploymentStatusNotice notice)
    {
        try
        {
            await subscription.OnNotice(notice);
        }
        catch (Exception e)
        {
            // A circuit that went away mid-notice: its page is gone, the others carry on.
            logger.LogDebug(e, "A deployment status subscriber failed.");
        }
    }

    private void Raise(bool listening)
    {
        try
        {
            ListeningChanged?.Invoke(listening);
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "A listening-state subscriber failed.");
        }
    }

    private Guid[] Tenants()
    {
        lock (_gate) return [.. _byTenant.Keys];
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            if (!_byTenant.TryGetValue(subscription.TenantId, out var list)) return;
            list.Remove(subscription);
            if (list.Count == 0) _byTenant.Remove(subscription.TenantId);
        }
    }

    private sealed class Subscription(DeploymentStatusFeed feed, Guid tenantId, Func<DeploymentStatusNotice, Task> onNotice) : IDisposable
    {
        public Guid TenantId { get; } = tenantId;
        public Func<DeploymentStatusNotice, Task> OnNotice { get; } = onNotice;
        public void Dispose() => feed.Remove(this);
    }
}
