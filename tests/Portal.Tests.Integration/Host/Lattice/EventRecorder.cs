using System.Text.Json;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;

namespace Portal.Tests.Integration.Host.Lattice;

/// <summary>Records every event of a lattice (wasmbus.evt.{lattice}.&gt;) so tests can wait for one.</summary>
public sealed class EventRecorder : IAsyncDisposable
{
    private readonly List<(string Subject, CloudEvent<JsonElement> Event)> _events = [];
    private readonly NatsSubscription _subscription;
    private readonly Task _loop;

    private EventRecorder(NatsSubscription subscription)
    {
        _subscription = subscription;
        _loop = Task.Run(async () =>
        {
            await foreach (var msg in subscription)
            {
                var e = LatticeEvents.Parse(msg.Data.Span);
                lock (_events) _events.Add((msg.Subject, e));
            }
        });
    }

    public static async Task<EventRecorder> StartAsync(NatsConnection connection, string lattice, CancellationToken cancellationToken)
    {
        var subscription = await connection.SubscribeAsync($"wasmbus.evt.{lattice}.>", cancellationToken: cancellationToken);
        await connection.FlushAsync(cancellationToken);
        return new EventRecorder(subscription);
    }

    public IReadOnlyList<(string Subject, CloudEvent<JsonElement> Event)> All
    {
        get
        {
            lock (_events) return _events.ToList();
        }
    }

    /// <summary>The first recorded event of that name whose data matches, waiting up to <paramref name="timeout"/>.</summary>
    public async Task<CloudEvent<JsonElement>> WaitAsync(string name, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            lock (_events)
            {
                foreach (var (_, e) in _events)
                {
                    if (e.Type == LatticeEvents.TypeOf(name) && (match is null || match(e.Data))) return e;
                }
            }

            await Task.Delay(25, cancellationToken);
        }

        var seen = string.Join("\n", All.Select(e => $"{e.Event.Type} {e.Event.Data}"));
        throw new TimeoutException($"no {name} event matched; seen:\n{seen}");
    }

    public async ValueTask DisposeAsync()
    {
        await _subscription.DisposeAsync();
        await _loop;
    }
}
