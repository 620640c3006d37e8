using Portal.Api.Http;
using Portal.Api.Topology;
using Portal.Web.Components.Shell;

namespace Portal.Web.Components.Topology;

/// <summary>
/// A page's live view of one lattice: opens the topology watch through the console session (the
/// tenant check runs there), then hands every pushed update to the page on its renderer. No
/// polling: updates come from the lattice observer as hosts report changes.
/// </summary>
public sealed class LiveTopology(ConsoleSession session, Func<Func<Task>, Task> invokeAsync, Func<TopologyUpdate, Task> onUpdate) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public TopologyWatch? Watch { get; private set; }

    /// <summary>Why the lattice could not be watched (unknown lattice, NATS unreachable), for the page to show; null when watching.</summary>
    public string? Problem { get; private set; }

    public async Task<TopologyView?> StartAsync(string lattice)
    {
        try
        {
            Watch = await session.RunAsync<TopologyService, TopologyWatch>((s, t) => s.WatchAsync(t, lattice, _stop.Token));
        }
        catch (PortalProblemException problem)
        {
            Problem = problem.Message;
            return null;
        }

        _loop = Task.Run(FollowAsync);
        return Watch.Current;
    }

    private async Task FollowAsync()
    {
        try
        {
            await foreach (var update in Watch!.UpdatesAsync(_stop.Token))
            {
                await invokeAsync(() => onUpdate(update));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away while an update was on its way.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }
}
