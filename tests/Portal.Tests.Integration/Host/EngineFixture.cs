using System.Collections.Concurrent;
using Portal.Host.Engine;
using Portal.Testing.Actors;

namespace Portal.Tests.Integration.Host;

/// <summary>
/// One real engine (Node sidecar, V8) shared by a test class, with the C test actors built by clang
/// and loaded under short limits so failure tests stay quick. Records every engine event.
/// </summary>
public sealed class EngineFixture : IAsyncLifetime
{
    public const long MemoryCap = 16L * 1024 * 1024;
    public static readonly TimeSpan LoopLimit = TimeSpan.FromMilliseconds(500);

    public ActorEngine Engine { get; } = new(new ActorEngineOptions { Workers = 2 });
    public ConcurrentQueue<ActorEngineEvent> Events { get; } = new();

    public async ValueTask InitializeAsync()
    {
        Engine.Event += (_, e) => Events.Enqueue(e);
        var ct = CancellationToken.None;
        var limits = new ActorLimits { MemoryBytes = MemoryCap, Timeout = TimeSpan.FromSeconds(5), MaxInstances = 8 };
        await Engine.LoadAsync("hello", await ActorBuilder.CgiModuleAsync("hello", ct), ActorKind.CgiModule, limits, cancellationToken: ct);
        await Engine.LoadAsync("echo", await ActorBuilder.CgiModuleAsync("echo", ct), ActorKind.CgiModule, limits with { ConfigAsEnvironment = true },
            new Dictionary<string, string> { ["GREETING"] = "hi there" }, ct);
        await Engine.LoadAsync("echo-no-grant", await ActorBuilder.CgiModuleAsync("echo", ct), ActorKind.CgiModule, limits,
            new Dictionary<string, string> { ["GREETING"] = "hidden" }, ct);
        await Engine.LoadAsync("state", await ActorBuilder.CgiModuleAsync("state", ct), ActorKind.CgiModule, limits, cancellationToken: ct);
        await Engine.LoadAsync("reuse", await ActorBuilder.CgiModuleAsync("reuse", ct), ActorKind.CgiModule, limits, cancellationToken: ct);
        await Engine.LoadAsync("trap", await ActorBuilder.CgiModuleAsync("trap", ct), ActorKind.CgiModule, limits, cancellationToken: ct);
        await Engine.LoadAsync("loop", await ActorBuilder.CgiModuleAsync("loop", ct), ActorKind.CgiModule, limits with { Timeout = LoopLimit }, cancellationToken: ct);
        await Engine.LoadAsync("grow", await ActorBuilder.CgiModuleAsync("grow", ct), ActorKind.CgiModule, limits, cancellationToken: ct);
        // Touching 64 MiB takes well under a second, but many seconds on a crowded machine: this test is about memory, not time.
        await Engine.LoadAsync("grow-roomy", await ActorBuilder.CgiModuleAsync("grow", ct), ActorKind.CgiModule,
            limits with { MemoryBytes = 128L * 1024 * 1024, Timeout = TimeSpan.FromSeconds(60) }, cancellationToken: ct);
    }

    public async ValueTask DisposeAsync() => await Engine.DisposeAsync();
}
