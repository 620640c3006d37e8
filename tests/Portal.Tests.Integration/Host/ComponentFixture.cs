using System.Collections.Concurrent;
using Portal.Host.Engine;
using Portal.Testing.Actors;

namespace Portal.Tests.Integration.Host;

/// <summary>
/// One engine with the JS test components (built with componentize-js, cached; transpiled by jco,
/// cached by digest): "js" answers, "misbehaving" fails on demand.
/// </summary>
public sealed class ComponentFixture : IAsyncLifetime
{
    // Generous: creating a componentize-js instance (inside the deadline) takes seconds on a loaded machine.
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(10);
    public const long MemoryCap = 64L * 1024 * 1024;

    // Loading a 13 MB componentize-js component (transpile, or rewrite and compile from the cache) takes minutes on a crowded machine.
    public ActorEngine Engine { get; } = new(new ActorEngineOptions { Workers = 2, LoadTimeout = TimeSpan.FromMinutes(5) });
    public ConcurrentQueue<ActorEngineEvent> Events { get; } = new();
    public byte[] Misbehaving { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        Engine.Event += (_, e) => Events.Enqueue(e);
        var ct = CancellationToken.None;
        var limits = new ActorLimits { MemoryBytes = MemoryCap, Timeout = TimeLimit, MaxInstances = 4 };
        await Engine.LoadAsync("js", await ActorBuilder.HttpComponentAsync("hello-component", ct), ActorKind.HttpComponent, limits, cancellationToken: ct);
        Misbehaving = await ActorBuilder.HttpComponentAsync("misbehaving-component", ct);
        await Engine.LoadAsync("misbehaving", Misbehaving, ActorKind.HttpComponent, limits, cancellationToken: ct);
    }

    public async ValueTask DisposeAsync() => await Engine.DisposeAsync();
}
