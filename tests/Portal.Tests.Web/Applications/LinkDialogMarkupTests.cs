using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Api.Artifacts.Providers;
using Portal.Lattice.Manifests;
using Portal.Web.Components.Applications.Editor;

namespace Portal.Tests.Web.Applications;

/// <summary>What the link dialog starts with: the keys a provider reads on a new link, every config of an existing one.</summary>
public sealed class LinkDialogMarkupTests
{
    private static readonly IReadOnlyList<ProviderConfigKey> AddressKey = [new("address", "Where to listen, host:port.", "0.0.0.0:8080")];
    private static readonly CatalogEntry HttpServer = new("httpserver", "wasmcloud+builtin://http-server", true, ["wasi:http/incoming-handler"], [], AddressKey);
    private static readonly CatalogEntry Hello = new("hello", "reg/t/hello:1", true, [], ["wasi:http/incoming-handler"]);
    private static readonly IReadOnlyList<LinkOption> Http = [new("wasi", "http", ["incoming-handler"])];

    [Fact]
    public void A_provider_end_starts_with_the_keys_it_reads_and_their_examples()
    {
        var row = LinkConfigDefaults.For(HttpServer, "hello");
        Assert.NotNull(row);
        Assert.Equal(("httpserver-hello", "address=0.0.0.0:8080"), (row.Name, row.Properties));
        Assert.Null(LinkConfigDefaults.For(Hello, "httpserver"));
    }

    [Fact]
    public async Task A_new_link_from_the_http_server_offers_its_address()
    {
        var html = await RenderAsync(null);
        Assert.Contains("value=\"address=0.0.0.0:8080\"", html);
        Assert.Contains("value=\"httpserver-hello\"", html);
        Assert.Contains("address: Where to listen, host:port.", html);
    }

    [Fact]
    public async Task An_existing_link_shows_every_config_of_both_ends()
    {
        var link = new LinkProperties("wasi", "http", ["incoming-handler"], "default",
            new LinkTarget("hello", [new ConfigProperty("greeting", Map(("lang", "en")))], []),
            new LinkSource([new ConfigProperty("listen", Map(("address", "0.0.0.0:80"))), new ConfigProperty("limits", Map(("max_body", "1mb")))], []));
        var html = await RenderAsync(link);
        foreach (var value in new[] { "listen", "address=0.0.0.0:80", "limits", "max_body=1mb", "greeting", "lang=en" })
            Assert.Contains($"value=\"{value}\"", html);
    }

    private static Task<string> RenderAsync(LinkProperties? existing) =>
        ApplicationMarkup.RenderAsync<LinkDialog>(new Dictionary<string, object?>
        {
            [nameof(LinkDialog.Source)] = "httpserver",
            [nameof(LinkDialog.Target)] = "hello",
            [nameof(LinkDialog.Options)] = Http,
            [nameof(LinkDialog.Existing)] = existing,
            [nameof(LinkDialog.SourceEnd)] = HttpServer,
            [nameof(LinkDialog.TargetEnd)] = Hello,
        }, services => services.AddScoped<NavigationManager, StaticNavigation>());

    // Radzen's DialogService wants a NavigationManager; a static render has no browser to navigate.
    private sealed class StaticNavigation : NavigationManager
    {
        public StaticNavigation() => Initialize("http://localhost/", "http://localhost/");
    }

    private static OrderedMap<string> Map(params (string Key, string Value)[] pairs) =>
        OrderedMap.From(pairs.Select(p => new KeyValuePair<string, string>(p.Key, p.Value)));
}
