using System.Net;
using System.Text.Json;
using Portal.Testing;

namespace Portal.Tests.Integration.Health;

public sealed class HealthEndpointTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    [Fact]
    public async Task Healthz_reports_postgres_and_nats_as_json()
    {
        using var client = portal.CreateClient();
        var response = await client.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
        Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("nats").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Healthz_is_unhealthy_when_nats_is_unreachable()
    {
        await using var broken = portal.WithWebHostBuilder(b => b.UseSetting("Nats:Url", "nats://127.0.0.1:1"));
        using var client = broken.CreateClient();
        var response = await client.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Unhealthy", json.RootElement.GetProperty("checks").GetProperty("nats").GetProperty("status").GetString());
        Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Unknown_pages_get_the_friendly_404()
    {
        using var client = portal.CreateClient();
        var response = await client.GetAsync("/no/such/page", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("We could not find that page", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
