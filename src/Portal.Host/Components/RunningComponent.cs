using Portal.Host.Claims;
using Portal.Host.Engine;

namespace Portal.Host.Components;

/// <summary>A component this host runs: what the last scale asked for, as the inventory reports it.</summary>
public sealed record RunningComponent(
    string Id,
    string ImageRef,
    uint MaxInstances,
    ActorKind Kind,
    IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyList<string> Config,
    IReadOnlyDictionary<string, string>? Limits,
    ComponentClaims? Claims = null);
