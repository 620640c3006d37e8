using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Api.Deployments;
using Portal.Data.Applications;
using Portal.Testing;
using static Portal.Tests.Integration.Applications.ApplicationTestKit;

namespace Portal.Tests.Integration.Applications;

/// <summary>
/// Statuses the reconciler writes reach the console without polling: in-process on the replica
/// that wrote them, through Postgres NOTIFY on the others, and only ever to the tenant they belong to.
/// </summary>
public sealed class DeploymentStatusFeedTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_written_status_or_event_reaches_its_tenants_subscribers_and_no_one_elses()
    {
        var a = await DeployedAsync("feed-a");
        var b = await DeployedAsync("feed-b");
        var feed = portal.Services.GetRequiredService<DeploymentStatusFeed>();
        var inboxA = new NoticeInbox();
        var inboxB = new NoticeInbox();
        using var subscriptionA = feed.Subscribe(a, inboxA.Add);
        using var subscriptionB = feed.Subscribe(b, inboxB.Add);

        Assert.True(await WriteStatusAsync(portal, "feed-a-dev", DeploymentStatusType.Deployed));
        var notice = await inboxA.NextAsync(n => n.Application is not null);
        Assert.Equal(new DeploymentStatusNotice(a, "shop", "feed-a-dev"), notice);

        Assert.True(await portal.WithScopeAsync(sp => sp.GetRequiredService<DeploymentStatusWriter>()
            .RecordEventAsync("feed-b-dev", "shop", ApplicationEventKinds.CommandSent, "ScaleComponent on NABC", cancellationToken: Ct)));
        Assert.Equal(new DeploymentStatusNotice(b, "shop", "feed-b-dev"), await inboxB.NextAsync(n => n.Application is not null));

        // Each side heard only its own tenant (a re-query request after a reconnect names the tenant too).
        Assert.All(inboxA.All, n => Assert.Equal(a, n.TenantId));
        Assert.All(inboxB.All, n => Assert.Equal(b, n.TenantId));
        Assert.DoesNotContain(inboxA.All, n => n.LatticeId == "feed-b-dev");
    }

    [Fact]
    public async Task A_status_written_on_another_replica_arrives_through_notify()
    {
        var tenant = await DeployedAsync("feed-remote");
        var other = await DeployedAsync("feed-other");
        var feed = portal.Services.GetRequiredService<DeploymentStatusFeed>();
        await WaitUntilListeningAsync(feed);
        var inbox = new NoticeInbox();
        var otherInbox = new NoticeInbox();
        using var subscription = feed.Subscribe(tenant, inbox.Add);
        using var otherSubscription = feed.Subscribe(other, otherInbox.Add);

        await using var replica = new PortalReplicaFactory(portal);
        await replica.InitializeAsync();
        Assert.True(await WriteStatusAsync(replica, "feed-remote-dev", DeploymentStatusType.Failed));

        Assert.Equal(new DeploymentStatusNotice(tenant, "shop", "feed-remote-dev"), await inbox.NextAsync(n => n.Application is not null));
        Assert.DoesNotContain(otherInbox.All, n => n.Application is not null);
    }

    /// <summary>A tenant with application shop deployed to its lattice dev; returns the tenant's id.</summary>
    private async Task<Guid> DeployedAsync(string slug)
    {
        var api = await TenantAsync(portal, slug);
        (await PutAsync(api, slug, Simple("shop", "1"))).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync($"/api/v1/tenants/{slug}/applications/shop/deploy", new { lattice = "dev" }, Ct)).EnsureSuccessStatusCode();
        await using var db = portal.CreateDbContext();
        return (await db.Tenants.SingleAsync(t => t.Slug == slug, Ct)).Id;
    }

    private static Task<bool> WriteStatusAsync(PortalWebFactory replica, string latticeId, DeploymentStatusType type) =>
        replica.WithScopeAsync(sp => sp.GetRequiredService<DeploymentStatusWriter>()
            .RecordStatusAsync(latticeId, "shop", new DeploymentStatusReport(type, "written by a test"), Ct));

    // The listener connects in the background as the portal starts; a NOTIFY sent before it
    // listens is not kept for it, so the test waits for that state (not for a fixed time).
    private static async Task WaitUntilListeningAsync(DeploymentStatusFeed feed)
    {
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        feed.ListeningChanged += up => { if (up) listening.TrySetResult(); };
        if (!feed.Listening) await listening.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);
    }
}
