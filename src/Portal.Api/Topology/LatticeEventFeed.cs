using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;

namespace Portal.Api.Topology;

/// <summary>
/// The raw CloudEvents of one lattice, as hosts publish them on <c>wasmbus.evt.{lattice}.&gt;</c>,
/// optionally only those of one host. Opened by <see cref="TopologyService.OpenEventsAsync"/> after
/// the tenant check; the subscription is made at open, so nothing published after it is missed.
/// </summary>
public sealed class LatticeEventFeed : IAsyncDisposable
{
    private readonly NatsSubscription _subscription;
    private readonly string? _hostId;

    internal LatticeEventFeed(NatsSubscription subscription, string? hostId)
    {
        _subscription = subscription;
        _hostId = hostId;
    }

    public async IAsyncEnumerable<LatticeEventMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var msg in _subscription.WithCancellation(cancellationToken))
        {
            var parsed = Parse(msg.Data);
            if (parsed is null || (_hostId is not null && parsed.Source != _hostId)) continue;
            yield return parsed;
        }
    }

    /// <summary>The envelope's fields and the event as sent; null for a message that is not a CloudEvent (skipped, as the observer skips it).</summary>
    public static LatticeEventMessage? Parse(ReadOnlyMemory<byte> data)
    {
        try
        {
            var evt = LatticeEvents.Parse(data.Span);
            return new LatticeEventMessage(evt.Id, evt.Type, evt.Source, evt.Time, Encoding.UTF8.GetString(data.Span));
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    public ValueTask DisposeAsync() => _subscription.DisposeAsync();
}
