using Portal.Lattice.Control;
using Portal.Lattice.Observation;

namespace Portal.Lattice.Reconciliation;

/// <summary>
/// The lattice as it would be once hosts have carried out some commands, assuming each succeeds.
/// Lets a plan look past one pass: a link waits for its config, so a single pass over a fresh
/// lattice would leave the link out of "what will change".
/// </summary>
public static class LatticeProjection
{
    public static LatticeState Apply(LatticeState state, IEnumerable<LatticeCommand> commands)
    {
        var hosts = state.Snapshot.Hosts.ToDictionary(h => h.Key, h => h.Value, StringComparer.Ordinal);
        var links = state.Links.ToList();
        var configs = state.Configs.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        foreach (var command in commands)
        {
            switch (command)
            {
                case ScaleComponent s when hosts.TryGetValue(s.Host, out var host):
                    var components = host.Components.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
                    if (s.Count == 0)
                    {
                        components.Remove(s.ComponentId);
                    }
                    else
                    {
                        // A host keeps the image it runs unless the command allows an update (protocol notes 1.5).
                        var image = components.TryGetValue(s.ComponentId, out var running) && !s.AllowUpdate ? running.ImageRef : s.ImageRef;
                        components[s.ComponentId] = new ObservedComponent(s.ComponentId, image, s.Count, running?.Name, s.Annotations);
                    }

                    hosts[s.Host] = host with { Components = components };
                    break;
                case StartProvider p when hosts.TryGetValue(p.Host, out var host):
                    hosts[p.Host] = host with
                    {
                        Providers = new Dictionary<string, ObservedProvider>(host.Providers, StringComparer.Ordinal)
                        {
                            [p.ProviderId] = new ObservedProvider(p.ProviderId, p.ImageRef, null, p.Annotations, ProviderHealth.Unknown),
                        },
                    };
                    break;
                case StopProvider p when hosts.TryGetValue(p.Host, out var host):
                    hosts[p.Host] = host with { Providers = host.Providers.Where(x => x.Key != p.ProviderId).ToDictionary(StringComparer.Ordinal) };
                    break;
                case PutLink l:
                    links.RemoveAll(x => SameLink(x, l.Link.SourceId, l.Link.WitNamespace, l.Link.WitPackage, l.Link.Name));
                    links.Add(l.Link);
                    break;
                case DeleteLink d:
                    links.RemoveAll(x => SameLink(x, d.SourceId, d.Namespace, d.Package, d.Name));
                    break;
                case PutConfig c:
                    configs[c.Name] = c.Values;
                    break;
                case DeleteConfig c:
                    configs.Remove(c.Name);
                    break;
            }
        }

        return state with { Snapshot = state.Snapshot with { Hosts = hosts }, Links = links, Configs = configs };
    }

    // A host identifies a link by source, namespace, package and name (protocol notes 3.6).
    private static bool SameLink(Link link, string source, string ns, string package, string name) =>
        link.SourceId == source && link.WitNamespace == ns && link.WitPackage == package && link.Name == name;
}
