using Portal.Lattice.Nats;
using Portal.Testing;

namespace Portal.Tests.Integration.Lattice.Nats;

/// <summary>
/// The publish hot path formats straight into pooled pipe memory: no string, no payload copy, no
/// per-message object. What remains is the occasional wake-up of the send loop (a thread-pool work
/// item when it was idle), well under one small object per message.
/// </summary>
public sealed class NatsAllocationTests(PortalServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Publishing_allocates_no_per_message_objects_on_the_calling_thread()
    {
        await using var nats = new NatsConnection(new NatsOpts { Url = servers.Nats.Url });
        await nats.ConnectAsync(Ct);
        var payload = new byte[4096];
        const int count = 10_000;

        // Warm-up with the same volume: fills the connection's block pool to its working size.
        for (var i = 0; i < count; i++) await nats.PublishAsync("alloc.warmup", payload, cancellationToken: Ct);
        await nats.FlushAsync(Ct);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < count; i++)
        {
            var pending = nats.PublishAsync("alloc.test", payload, cancellationToken: Ct);
            if (!pending.IsCompletedSuccessfully) await pending; // only when the writer is busy: may hop threads
        }

        var perMessage = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)count;
        await nats.FlushAsync(Ct);

        Assert.True(perMessage < 96, $"{perMessage:F1} bytes allocated per publish");
    }
}
