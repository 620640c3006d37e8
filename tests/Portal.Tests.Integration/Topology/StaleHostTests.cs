using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Portal.Api.Lattices;
using Portal.Api.Tenants.Access;
using Portal.Api.Topology;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;
using Portal.Testing;

namespace Portal.Tests.Integration.Topology;

/// <summary>A portal whose observers reap after 3 s and show a host stale after 1 s of silence.</summary>
public sealed class ShortReapPortal(PortalServers servers) : PortalWebFactory(servers)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Portal:Reconciler:ReapAfter", "00:00:03");
        builder.UseSetting("Portal:Reconciler:ReapInterval", "00:00:00.200");
        builder.UseSetting("Portal:Reconciler:SeedWindow", "00:00:00.300");
        builder.UseSetting("Portal:Topology:StaleAfter", "00:00:01");
        builder.UseSetting("Portal:Topology:StaleCheckInterval", "00:00:00.200");
    }
}

/// <summary>
/// A host that stops heartbeating turns stale in the watch, then leaves after the reap window. The
/// host is protocol-level: the test publishes its heartbeats on the real nats-server, then stops,
/// as a host whose process froze would (a host that shuts down says host_stopped instead).
/// </summary>
public sealed class StaleHostTests(ShortReapPortal portal) : IClassFixture<ShortReapPortal>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_silent_host_turns_stale_in_the_watch_and_then_leaves()
    {
        var scenario = new PortalScenario(portal);
        var user = await scenario.UserAsync("stale@example.test");
        await scenario.TenantAsync(user, "stale");
        var context = await scenario.ContextAsync("stale", user);
        var lattice = await portal.WithScopeAsync(sp => sp.GetRequiredService<LatticeService>().CreateAsync(context, new CreateLatticeRequest("dev")));
        var watch = await portal.WithScopeAsync(async sp =>
        {
            var tenant = await sp.GetRequiredService<TenantAccess>().ResolveAsync("stale", PortalScenario.Principal(user));
            return await sp.GetRequiredService<TopologyService>().WatchAsync(tenant, "dev", Ct);
        });

        await using var nats = new NatsConnection(new NatsOpts { Url = portal.Servers.Nats.Url });
        await nats.ConnectAsync(Ct);
        const string hostId = "NSTALEHOSTFORTESTSAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        var subject = new LatticeSubjects(lattice.LatticeId).Event(LatticeEvents.HostHeartbeat);
        var beat = LatticeJson.Serialize(LatticeEvents.Create(LatticeEvents.HostHeartbeat, hostId,
            new HostInventory { HostId = hostId, FriendlyName = "frozen-host", Labels = new() { ["zone"] = "z" }, Version = "1.0.0", UptimeSeconds = 10 }));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        stop.CancelAfter(TimeSpan.FromSeconds(60));
        var seen = new List<TopologyUpdate>();
        var follow = Task.Run(async () =>
        {
            await foreach (var update in watch.UpdatesAsync(stop.Token))
            {
                seen.Add(update);
                if (update.Changes.Any(c => c is { Kind: "HostRemoved", HostId: hostId })) return;
            }
        }, Ct);

        // Beats for a second, well inside the stale window, then silence.
        for (var i = 0; i < 5; i++)
        {
            await nats.PublishAsync(subject, beat, cancellationToken: Ct);
            await Task.Delay(200, Ct);
        }

        await follow;
        var kinds = seen.SelectMany(u => u.Changes).Where(c => c.HostId == hostId).Select(c => c.Kind).ToList();
        // The first beat may land before the watch follows the observer (then the host arrives as an
        // update, not an add): what matters is what the views showed, in order.
        Assert.False(seen.First(u => u.View.Hosts.Any(h => h.Id == hostId)).View.Hosts.Single(h => h.Id == hostId).Stale);
        Assert.Equal("HostRemoved", kinds.Last());
        // Between its last beat and its removal the host was shown stale, in order.
        Assert.True(kinds.IndexOf("HostStale") > kinds.LastIndexOf("HostUpdated"), string.Join(", ", kinds));
        var staleView = seen.First(u => u.Changes.Any(c => c is { Kind: "HostStale", HostId: hostId })).View;
        Assert.True(staleView.Hosts.Single(h => h.Id == hostId).Stale);
        Assert.DoesNotContain(watch.Current.Hosts, h => h.Id == hostId);
    }
}
