using Portal.Lattice.Nats;

namespace Portal.Host.Providers;

/// <summary>A provider this host runs, with its health subscription and last reported health.</summary>
public sealed class RunningProvider(string id, string imageRef, Dictionary<string, string> annotations, IBuiltinProvider instance)
{
    public string Id { get; } = id;

    public string ImageRef { get; } = imageRef;

    public Dictionary<string, string> Annotations { get; } = annotations;

    public IBuiltinProvider Instance { get; } = instance;

    public NatsSubscription? HealthSubscription { get; set; }

    public CancellationTokenSource Stop { get; } = new();

    /// <summary>Null until the first health check answered.</summary>
    public bool? LastHealthy { get; set; }
}
