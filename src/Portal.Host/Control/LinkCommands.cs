using Portal.Host.State;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;

namespace Portal.Host.Control;

// link.put and link.del (protocol 1.5, 3.6). Links live in the source's spec in LATTICEDATA, so every host sees them.
public sealed partial class ControlInterface
{
    private async Task<object> PutLinkAsync(NatsMsg msg, CancellationToken ct)
    {
        var link = Read<Link>(msg, "link definition")!;
        var error = await ConfigErrorAsync(link, ct);
        if (error is null)
        {
            // The conflict rule is checked inside the compare-and-set, against the spec actually written over.
            await host.Store.UpdateSpecAsync(link.SourceId, spec =>
            {
                error = ConflictError(spec, link);
                if (error is not null) return null;
                var links = spec.Links.Where(l => !SameIdentity(l, link) || l.Target != link.Target).ToList();
                links.Add(link);
                return spec with { Links = links };
            }, ct);
        }

        if (error is null)
        {
            await host.Events.PublishAsync(LatticeEvents.LinkdefSet, link, ct);
            return CtlResponse.Ok("successfully set link");
        }

        await host.Events.PublishAsync(LatticeEvents.LinkdefSetFailed, new LinkdefSetFailedEvent
        {
            SourceId = link.SourceId,
            Target = link.Target,
            Name = link.Name,
            WitNamespace = link.WitNamespace,
            WitPackage = link.WitPackage,
            Interfaces = link.Interfaces,
            SourceConfig = link.SourceConfig,
            TargetConfig = link.TargetConfig,
            Error = error,
        }, ct);
        return CtlResponse.Error(error);
    }

    /// <summary>The first rule of a 1.x host's link.put: every named config exists. Null when they do.</summary>
    private async Task<string?> ConfigErrorAsync(Link link, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(link.SourceId) || string.IsNullOrWhiteSpace(link.Target)) return "source_id and target are required";
        foreach (var name in link.SourceConfig.Concat(link.TargetConfig))
        {
            if (await host.Store.ReadConfigAsync(name, ct) is null)
            {
                return name.StartsWith("SECRET_", StringComparison.Ordinal)
                    ? $"Secret reference {name} not found in config store"
                    : $"Configuration {name} not found in config store";
            }
        }

        return null;
    }

    /// <summary>The second rule: no other target for the same identity with overlapping interfaces.</summary>
    private static string? ConflictError(ComponentSpec spec, Link link) =>
        spec.Links.Any(l => SameIdentity(l, link) && l.Target != link.Target && l.Interfaces.Intersect(link.Interfaces).Any())
            ? "link already exists with different target, consider deleting the existing link or using a different link name"
            : null;

    private async Task<object> DeleteLinkAsync(NatsMsg msg, CancellationToken ct)
    {
        var request = Read<DeleteLinkRequest>(msg, "link delete request")!;
        Link? existing = null;
        await host.Store.UpdateSpecAsync(request.SourceId, spec =>
        {
            existing = spec.Links.FirstOrDefault(l => l.SourceId == request.SourceId && l.WitNamespace == request.WitNamespace
                && l.WitPackage == request.WitPackage && l.Name == request.Name);
            return existing is null ? null : spec with { Links = spec.Links.Where(l => !ReferenceEquals(l, existing)).ToList() };
        }, ct);

        // Always published, with target and interfaces only when the link existed.
        await host.Events.PublishAsync(LatticeEvents.LinkdefDeleted, new LinkdefDeletedEvent
        {
            SourceId = request.SourceId,
            Name = request.Name,
            WitNamespace = request.WitNamespace,
            WitPackage = request.WitPackage,
            Target = existing?.Target,
            Interfaces = existing?.Interfaces,
        }, ct);
        return CtlResponse.Ok(existing is null ? "successfully deleted link (spec doesn't exist)" : "successfully deleted link");
    }

    private static bool SameIdentity(Link a, Link b) =>
        a.SourceId == b.SourceId && a.WitNamespace == b.WitNamespace && a.WitPackage == b.WitPackage && a.Name == b.Name;
}
