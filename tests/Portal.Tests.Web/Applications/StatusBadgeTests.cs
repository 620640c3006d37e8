using Portal.Web.Components.Applications;
using Radzen;

namespace Portal.Tests.Web.Applications;

public sealed class StatusBadgeTests
{
    [Theory]
    [InlineData("deployed", "rz-badge-success")]
    [InlineData("reconciling", "rz-badge-info")]
    [InlineData("waiting", "rz-badge-secondary")]
    [InlineData("unhealthy", "rz-badge-warning")]
    [InlineData("failed", "rz-badge-danger")]
    [InlineData("undeployed", "rz-badge-base")]
    public async Task Each_wadm_status_keeps_its_word_and_gets_its_colour(string status, string cssClass)
    {
        var html = await ApplicationMarkup.RenderAsync<StatusBadge>(new Dictionary<string, object?> { [nameof(StatusBadge.Status)] = status });
        Assert.Contains($">{status}<", html);
        Assert.Contains(cssClass, html);
        Assert.Contains($"data-status=\"{status}\"", html);
    }

    [Fact]
    public async Task The_message_is_the_tooltip_and_unknown_words_are_neutral()
    {
        var html = await ApplicationMarkup.RenderAsync<StatusBadge>(new Dictionary<string, object?>
        {
            [nameof(StatusBadge.Status)] = "Failed",
            [nameof(StatusBadge.Message)] = "no host with zone=eu",
        });
        Assert.Contains(">failed<", html);
        Assert.Contains("title=\"no host with zone=eu\"", html);
        Assert.Equal(BadgeStyle.Base, DeploymentStatusStyle.For("something-else"));
        Assert.All(DeploymentStatusStyle.Words, w => Assert.NotEqual("Unknown status.", DeploymentStatusStyle.Explain(w)));
    }
}
