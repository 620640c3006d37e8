using Portal.Lattice.Control;
using Portal.Lattice.Nats;

namespace Portal.Tests.Integration.Host.Lattice;

/// <summary>Link writes are read-modify-write of one KV value shared by every host: none may be lost.</summary>
[Collection(HostLatticeCollection.Name)]
public sealed class LinkConcurrencyTests(HostLatticeFixture lattice)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Concurrent_link_puts_through_two_hosts_all_survive()
    {
        // link.put is a queue group, so these land on both hosts at once; each builds on the source's
        // spec, and without compare-and-set the later write of a collision would drop the earlier link.
        const int count = 24;
        var source = $"busy-{Guid.NewGuid():N}"[..16];
        var replies = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            // One connection per writer, so requests are not serialized by a single socket either.
            await using var connection = new NatsConnection(new NatsOpts { Url = lattice.Nats.Url });
            await connection.ConnectAsync(Ct);
            var client = new LatticeClient(connection, new LatticeClientOptions { Lattice = lattice.Lattice, Timeout = TimeSpan.FromSeconds(30) });
            return await client.PutLinkAsync(new Link
            {
                SourceId = source, Target = $"target-{i}", Name = $"link-{i}", WitNamespace = "wasi", WitPackage = "keyvalue", Interfaces = ["store"],
            }, Ct);
        }));

        Assert.All(replies, r => Assert.True(r.Success, r.Message));
        var spec = await lattice.HostA.Store.ReadSpecAsync(source, Ct);
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"link-{i}").Order(), spec.Links.Select(l => l.Name).Order());

        // Deletes race the same way.
        var deletes = await Task.WhenAll(Enumerable.Range(0, count).Where(i => i % 2 == 0).Select(i =>
            lattice.Client.DeleteLinkAsync(new DeleteLinkRequest { SourceId = source, Name = $"link-{i}", WitNamespace = "wasi", WitPackage = "keyvalue" }, Ct)));
        Assert.All(deletes, r => Assert.Equal("successfully deleted link", r.Message));
        spec = await lattice.HostB.Store.ReadSpecAsync(source, Ct);
        Assert.Equal(Enumerable.Range(0, count).Where(i => i % 2 == 1).Select(i => $"link-{i}").Order(), spec.Links.Select(l => l.Name).Order());
    }
}
