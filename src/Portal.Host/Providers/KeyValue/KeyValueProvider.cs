using Portal.Host.State;

namespace Portal.Host.Providers.KeyValue;

/// <summary>
/// The built-in key-value provider (<c>wasmcloud+builtin://keyvalue</c>, and the host's stand-in for
/// <c>ghcr.io/wasmcloud/keyvalue-nats</c>). It holds no state of its own: components linked to it call
/// wasi:keyvalue, the host answers those calls (<see cref="KeyValueHostCalls"/>) from the lattice's
/// JetStream bucket, so every host running it serves the same data. Its presence on a host is what
/// lets that host answer for the links that target it.
/// </summary>
public sealed class KeyValueProvider(string id) : IBuiltinProvider
{
    public string Id { get; } = id;

    public (bool Healthy, string? Message) Health => (true, null);

    // Links are read at each call, so a new link or bucket config works at once without work here.
    public Task ReconcileAsync(LatticeStore store, CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
