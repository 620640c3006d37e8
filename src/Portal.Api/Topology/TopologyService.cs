using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Api.Audit;
using Portal.Api.Database;
using Portal.Api.Deployments.Runtime;
using Portal.Api.Http;
using Portal.Api.Quotas;
using Portal.Data.Billing;
using Portal.Api.Tenants.Access;
using Portal.Data;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;
using Portal.Lattice.Observation;

namespace Portal.Api.Topology;

/// <summary>
/// A tenant's lattices as they run: the topology (hosts, instances, links, configs) from the
/// lattice's observer, a live watch of it, the raw event stream, and the hand-made changes a person
/// makes on a running lattice (host labels, scale a component on a host, stop a provider). Each
/// change goes through the control interface inside the transaction of its one audit event: a
/// host that refuses or does not answer rolls the audit event back.
/// </summary>
public sealed class TopologyService(
    PortalDbContext db,
    AuditWriter audit,
    LatticeRuntime runtime,
    TopologyViewCache views,
    ITenantLimits limits,
    IOptions<ReconcilerSettings> reconciler,
    IOptions<TopologySettings> settings,
    TimeProvider clock)
{
    /// <summary>Labels the host itself sets (hostcore.os, hostcore.arch...): the control interface must not change them.</summary>
    public const string ProtectedLabelPrefix = "hostcore.";

    private TimeSpan StaleAfter => settings.Value.StaleAfterFor(reconciler.Value.ReapAfter);

    public async Task<TopologyView> GetAsync(TenantContext context, string lattice, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        var (name, wireId) = await LatticeAsync(lattice, cancellationToken);
        var observer = await ObserverAsync(wireId, cancellationToken);
        return views.Get(name, observer.Snapshot, await ApplicationsAsync(cancellationToken), StaleAfter, clock.GetUtcNow());
    }

    /// <summary>One host as observed; 404 when the lattice does not know it (never joined, stopped, or reaped).</summary>
    public async Task<TopologyHost> GetHostAsync(TenantContext context, string lattice, string hostId, CancellationToken cancellationToken = default)
    {
        var view = await GetAsync(context, lattice, cancellationToken);
        return view.Hosts.SingleOrDefault(h => h.Id == hostId) ?? throw UnknownHost(hostId, lattice);
    }

    /// <summary>Opens a live view after the tenant check. The watch needs no DI scope afterwards: dispose the scope freely and enumerate <see cref="TopologyWatch.UpdatesAsync"/>.</summary>
    public async Task<TopologyWatch> WatchAsync(TenantContext context, string lattice, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        var (name, wireId) = await LatticeAsync(lattice, cancellationToken);
        var observer = await ObserverAsync(wireId, cancellationToken);
        var client = await ClientAsync(wireId, cancellationToken);
        return new TopologyWatch(runtime, views, observer, client.Connection, name, await ApplicationsAsync(cancellationToken), StaleAfter, settings.Value.StaleCheckInterval, settings.Value.MinUpdateInterval, clock);
    }

    /// <summary>Subscribes to the lattice's events (of one host when <paramref name="hostId"/> is given) after the tenant check.</summary>
    public async Task<LatticeEventFeed> OpenEventsAsync(TenantContext context, string lattice, string? hostId = null, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        var (_, wireId) = await LatticeAsync(lattice, cancellationToken);
        var client = await ClientAsync(wireId, cancellationToken);
        try
        {
            return new LatticeEventFeed(await client.Connection.SubscribeAsync(client.Subjects.AllEvents, cancellationToken: cancellationToken), hostId);
        }
        catch (Exception e) when (e is NatsException or IOException or ObjectDisposedException)
        {
            throw Unavailable(lattice, e);
        }
    }

    public async Task PutLabelAsync(TenantContext context, string lattice, string hostId, string key, PutHostLabelRequest request, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Deploy);
        CheckLabelKey(key);
        var value = request.Value ?? throw ValidationException.For("value", "value is required (it may be empty).");
        if (value.Length > 1024) throw ValidationException.For("value", "A label value holds at most 1024 characters.");
        var (wireId, host) = await HostAsync(lattice, hostId, cancellationToken);
        host.Labels.TryGetValue(key, out var before);
        await SendAsync(
            context, wireId, lattice,
            new AuditEntry(context.TenantId, "host.label.put", "host", $"{lattice}/{hostId}",
                Before: before is null ? null : new { key, value = before }, After: new { key, value }),
            (client, ct) => client.PutLabelAsync(hostId, key, value, ct),
            cancellationToken);
    }

    public async Task DeleteLabelAsync(TenantContext context, string lattice, string hostId, string key, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Deploy);
        CheckLabelKey(key);
        var (wireId, host) = await HostAsync(lattice, hostId, cancellationToken);
        if (!host.Labels.TryGetValue(key, out var before)) throw new NotFoundException($"Host {hostId} has no label '{key}'.");
        await SendAsync(
            context, wireId, lattice,
            new AuditEntry(context.TenantId, "host.label.delete", "host", $"{lattice}/{hostId}", Before: new { key, value = before }),
            (client, ct) => client.DeleteLabelAsync(hostId, key, ct),
            cancellationToken);
    }

    /// <summary>
    /// Sets a component's instance cap on one host (0 stops it there). A component an application
    /// manages is put back by the reconciler on its next pass: change the manifest for lasting effect.
    /// </summary>
    public async Task ScaleComponentAsync(TenantContext context, string lattice, string hostId, string componentId, ScaleComponentRequest request, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Deploy);
        if (request.Count is not { } count || count < 0 || count > 100_000)
        {
            throw ValidationException.For("count", "count is required: the instance cap on this host, from 0 (stop) to 100000.");
        }

        var (wireId, host) = await HostAsync(lattice, hostId, cancellationToken);
        var component = host.Components.GetValueOrDefault(componentId) ?? throw new NotFoundException($"Component {componentId} does not run on host {hostId}.");
        if (count > component.MaxInstances) await CheckInstanceQuotaAsync(context, wireId, count - component.MaxInstances, cancellationToken);
        var command = new ScaleComponentCommand
        {
            ComponentId = componentId, ComponentRef = component.ImageRef, HostId = hostId, MaxInstances = (uint)count,
            Annotations = new Dictionary<string, string>(component.Annotations), AllowUpdate = false,
        };
        await SendAsync(
            context, wireId, lattice,
            new AuditEntry(context.TenantId, "component.scale", "component", $"{lattice}/{hostId}/{componentId}",
                Before: new { count = component.MaxInstances }, After: new { count }),
            (client, ct) => client.ScaleComponentAsync(command, ct),
            cancellationToken);
    }

    public async Task StopProviderAsync(TenantContext context, string lattice, string hostId, string providerId, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Deploy);
        var (wireId, host) = await HostAsync(lattice, hostId, cancellationToken);
        var provider = host.Providers.GetValueOrDefault(providerId) ?? throw new NotFoundException($"Provider {providerId} does not run on host {hostId}.");
        await SendAsync(
            context, wireId, lattice,
            new AuditEntry(context.TenantId, "provider.stop", "provider", $"{lattice}/{hostId}/{providerId}", Before: new { provider.ImageRef }),
            (client, ct) => client.StopProviderAsync(new StopProviderCommand { HostId = hostId, ProviderId = providerId }, ct),
            cancellationToken);
    }

    // ------------------------------------------------------------------ plumbing

    /// <summary>The audit event and the command in one transaction: a refusal or a lost host rolls the event back.</summary>
    private async Task SendAsync(
        TenantContext context, string wireId, string lattice, AuditEntry entry,
        Func<LatticeClient, CancellationToken, Task<CtlResponse<object>>> command, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(wireId, cancellationToken);
        await db.InTransactionAsync(
            async () =>
            {
                await audit.AppendAsync(entry, context.Principal.ToAuditActor(), cancellationToken);
                CtlResponse<object> reply;
                try
                {
                    reply = await command(client, cancellationToken);
                }
                catch (Exception e) when (e is NatsException or IOException or ObjectDisposedException or LatticeProtocolException)
                {
                    throw Unavailable(lattice, e);
                }

                if (!reply.Success) throw new HostRefusedException(string.IsNullOrWhiteSpace(reply.Message) ? "The host refused the command without saying why." : reply.Message);
                return true;
            },
            cancellationToken: cancellationToken);
    }

    private static void CheckLabelKey(string key)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > 256 || key.Any(char.IsControl) || key.Any(char.IsWhiteSpace))
        {
            throw ValidationException.For("key", "A label key is 1 to 256 characters without spaces, e.g. zone.");
        }

        if (key.StartsWith(ProtectedLabelPrefix, StringComparison.OrdinalIgnoreCase))
        {
            throw new UnprocessableContentException(
                $"'{key}' is set by the host itself (hostcore.* labels describe the machine) and cannot be changed. Choose a key without the hostcore. prefix.",
                "/problems/protected-label");
        }
    }

    /// <summary>Manual scale-ups count against the Instances quota as the observer sees this lattice now.</summary>
    private async Task CheckInstanceQuotaAsync(TenantContext context, string wireId, long adding, CancellationToken cancellationToken)
    {
        if ((await limits.ForAsync(context.TenantId, cancellationToken)).For(BillingUnit.Instances) is not { } limit) return;
        var inUse = (await ObserverAsync(wireId, cancellationToken)).Snapshot.Hosts.Values.Sum(h => h.Components.Values.Sum(c => (long)c.MaxInstances));
        if (inUse + adding > limit.Limit)
        {
            throw QuotaExceededException.For(limit, inUse, inUse + adding, "Instance quota exceeded",
                $"scaling up would run {inUse + adding} instances in this lattice, over the limit of {limit.Limit}", "Scale something down first");
        }
    }

    private async Task<(string WireId, ObservedHost Host)> HostAsync(string lattice, string hostId, CancellationToken cancellationToken)
    {
        var (_, wireId) = await LatticeAsync(lattice, cancellationToken);
        var observer = await ObserverAsync(wireId, cancellationToken);
        return observer.Snapshot.Hosts.TryGetValue(hostId, out var host) ? (wireId, host) : throw UnknownHost(hostId, lattice);
    }

    /// <summary>The tenant's lattice by name; the query filter makes another tenant's lattice a 404 like a missing one.</summary>
    private async Task<(string Name, string WireId)> LatticeAsync(string lattice, CancellationToken cancellationToken)
    {
        var found = await db.Lattices.AsNoTracking().Where(l => l.Name == lattice).Select(l => new { l.Name, l.LatticeId }).SingleOrDefaultAsync(cancellationToken);
        return found is null ? throw new NotFoundException($"No lattice '{lattice}'.") : (found.Name, found.LatticeId);
    }

    private async Task<IReadOnlySet<string>> ApplicationsAsync(CancellationToken cancellationToken) =>
        (await db.Applications.AsNoTracking().Select(a => a.Name).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);

    private async Task<LatticeObserver> ObserverAsync(string wireId, CancellationToken cancellationToken)
    {
        try
        {
            return await runtime.GetObserverAsync(wireId, cancellationToken);
        }
        catch (Exception e) when (e is NatsException or IOException or ObjectDisposedException)
        {
            throw Unavailable(wireId, e);
        }
    }

    private async Task<LatticeClient> ClientAsync(string wireId, CancellationToken cancellationToken)
    {
        try
        {
            return await runtime.GetClientAsync(wireId, cancellationToken);
        }
        catch (Exception e) when (e is NatsException or IOException or ObjectDisposedException)
        {
            throw Unavailable(wireId, e);
        }
    }

    private static NotFoundException UnknownHost(string hostId, string lattice) =>
        new($"No host {hostId} in lattice {lattice}: it never joined, stopped, or fell silent and was removed.");

    private static LatticeUnavailableException Unavailable(string lattice, Exception e) =>
        new($"The portal cannot reach lattice {lattice} right now ({e.Message}). Nothing was changed; try again shortly.");
}
