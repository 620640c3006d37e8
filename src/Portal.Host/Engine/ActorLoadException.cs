namespace Portal.Host.Engine;

/// <summary>The sidecar refused a component (not valid wasm, initial memory over the cap, transpile failed).</summary>
public sealed class ActorLoadException(string componentId, string reason)
    : Exception($"Component {componentId} could not be loaded: {reason}")
{
    public string ComponentId { get; } = componentId;
    public string Reason { get; } = reason;
}
