using Portal.Host.State;

namespace Portal.Host.Providers;

/// <summary>A capability provider the host runs in-process (wasmcloud+builtin:// and the well-known images it stands in for).</summary>
public interface IBuiltinProvider : IAsyncDisposable
{
    string Id { get; }

    /// <summary>Applies the lattice's current links and config (called after every change of either).</summary>
    Task ReconcileAsync(LatticeStore store, CancellationToken cancellationToken);

    /// <summary>What the provider answers on its health subject.</summary>
    (bool Healthy, string? Message) Health { get; }
}
