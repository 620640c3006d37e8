using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Api.Deployments;
using Portal.Web.Components.Applications;

namespace Portal.Tests.Web.Applications;

public sealed class LiveStatusIndicatorTests
{
    [Fact]
    public async Task It_says_live_updates_are_paused_while_the_feed_does_not_listen()
    {
        // A new feed has not connected yet: exactly the state of a replica whose Postgres is away.
        var feed = new DeploymentStatusFeed(NullLogger<DeploymentStatusFeed>.Instance);
        var html = await ApplicationMarkup.RenderAsync<LiveStatusIndicator>(new Dictionary<string, object?>(), services => services.AddSingleton(feed));
        Assert.Contains("data-testid=\"live-status\"", html);
        Assert.Contains("Live updates paused", html);
    }
}
