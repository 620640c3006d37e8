using Portal.Api.Billing.Invoices;
using Portal.Tests.Web.Applications;
using Portal.Web.Components.Billing;

namespace Portal.Tests.Web.Billing;

/// <summary>The usage page's pieces as the console renders them: bar colours at the thresholds, invoice links.</summary>
public sealed class UsageMarkupTests
{
    [Theory]
    [InlineData(0.0, "ok")]
    [InlineData(79.9, "ok")]
    [InlineData(80.0, "warning")]
    [InlineData(99.9, "warning")]
    [InlineData(100.0, "over")]
    [InlineData(250.0, "over")]
    public async Task A_bar_turns_amber_at_80_percent_and_red_at_100(double percent, string level)
    {
        var html = await ApplicationMarkup.RenderAsync<UsageBar>(new Dictionary<string, object?>
        {
            [nameof(UsageBar.Unit)] = "invocationsPerMonth",
            [nameof(UsageBar.Label)] = "Invocations",
            [nameof(UsageBar.Used)] = (decimal)percent * 10,
            [nameof(UsageBar.Included)] = 1000L,
            [nameof(UsageBar.Percent)] = percent,
            [nameof(UsageBar.Forecast)] = 2000m,
        });
        Assert.Contains($"data-level=\"{level}\"", html);
        Assert.Contains($"usage-bar-fill usage-{level}", html);
        var colour = level switch { "over" => "var(--rz-danger)", "warning" => "#f59e0b", _ => "var(--rz-success)" };
        Assert.Contains($"background: {colour}", html);
        // The fill never runs past the track.
        Assert.Contains($"width: {Math.Min(percent, 100).ToString(System.Globalization.CultureInfo.InvariantCulture)}%", html);
        Assert.Contains("Forecast for the month&#x27;s end: 2,000", html);
    }

    [Fact]
    public async Task A_unit_without_a_limit_says_so_and_stays_green()
    {
        var html = await ApplicationMarkup.RenderAsync<UsageBar>(new Dictionary<string, object?>
        {
            [nameof(UsageBar.Unit)] = "storageByteHours", [nameof(UsageBar.Label)] = "Storage", [nameof(UsageBar.Used)] = 5m,
        });
        Assert.Contains("no limit on this plan", html);
        Assert.Contains("data-level=\"ok\"", html);
    }

    [Fact]
    public async Task Each_invoice_links_to_its_printable_page_with_its_total()
    {
        var id = Guid.CreateVersion7();
        var invoice = new InvoiceResponse(id, "2026-10-acme", "acme", "2026-10", "team", "EUR", "issued", 51.89m,
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null, null, []);
        var html = await ApplicationMarkup.RenderAsync<InvoiceList>(new Dictionary<string, object?> { [nameof(InvoiceList.Invoices)] = new[] { invoice } });
        Assert.Contains($"href=\"usage/invoices/{id}\"", html);
        Assert.Contains("51.89 EUR", html);
        Assert.Contains("2026-10-acme", html);

        var empty = await ApplicationMarkup.RenderAsync<InvoiceList>(new Dictionary<string, object?> { [nameof(InvoiceList.Invoices)] = Array.Empty<InvoiceResponse>() });
        Assert.Contains("No invoices yet", empty);
    }
}
