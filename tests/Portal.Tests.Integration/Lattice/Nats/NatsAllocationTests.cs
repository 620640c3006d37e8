using Portal.Lattice.Nats;
using Portal.Testing;

namespace Portal.Tests.Integration.Lattice.Nats;

/// <summary>
/// The publish hot path formats straight into pooled pipe memory: no string, no payload copy, no
/// per-message object. What remains is the occasional wake-up of the send loop (a thread-pool work
/// item when it was idle, a new pool block while the pool grows), far less than a payload copy.
/// </summary>
public sealed class NatsAllocationTests(PortalServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Publishing_allocates_no_per_message_objects_on_the_calling_thread()
    {
        await using var nats = new NatsConnection(new NatsOpts { Url = servers.Nats.Url });
        await nats.ConnectAsync(Ct);
        var payload = new byte[2048];
        const int count = 2_000; // 4 MB: below the writer's pause threshold

        // Warm-up with the same volume: fills the connection's block pool to its working size.
        for (var i = 0; i < count; i++) await nats.PublishAsync("alloc.warmup", payload, cancellationToken: Ct);
        await nats.FlushAsync(Ct);

        // Best of three rounds: a stray thread-pool or GC event on this thread must not decide the test.
        var perMessage = Enumerable.Range(0, 3).Min(_ => AllocatedPerPublish(nats, payload, count));
        await nats.FlushAsync(Ct);

        // Usually 0; a loaded machine adds occasional pool/thread-pool noise. A copy of the
        // payload per message (what this guards against) would cost more than 2 KB each.
        Assert.True(perMessage < 1024, $"{perMessage:F1} bytes allocated per publish");
    }

    /// <summary>Synchronous on purpose: the allocation counter is per thread, so the loop must not hop threads.</summary>
    private static double AllocatedPerPublish(NatsConnection nats, byte[] payload, int count)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < count; i++)
        {
            var pending = nats.PublishAsync("alloc.test", payload);
            if (!pending.IsCompletedSuccessfully) pending.AsTask().Wait(); // only when the writer is paused
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)count;
    }
}
