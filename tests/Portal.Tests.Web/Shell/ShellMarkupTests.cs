using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using Microsoft.Extensions.Logging;
using Radzen;
using Portal.Web.Components.Shell;

namespace Portal.Tests.Web.Shell;

/// <summary>Component markup rendered by the framework's HtmlRenderer (bUnit does not restore here).</summary>
public sealed class ShellMarkupTests
{
    private static async Task<string> RenderAsync<TComponent>(IDictionary<string, object?> parameters) where TComponent : IComponent
    {
        // The same registrations the app makes for static rendering (JS runtime, Radzen services).
        var collection = new ServiceCollection().AddLogging();
        collection.AddSingleton<IJSRuntime, NoJavaScript>();
        collection.AddRadzenComponents();
        var services = collection.BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        });
    }

    /// <summary>Static markup rendering has no browser; a component that calls JS while rendering is a bug.</summary>
    private sealed class NoJavaScript : IJSRuntime
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
            throw new InvalidOperationException($"JS call '{identifier}' during static rendering");

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            InvokeAsync<TValue>(identifier, args);
    }

    [Fact]
    public async Task Empty_state_shows_its_title_and_guidance()
    {
        RenderFragment guidance = b => b.AddContent(0, "Upload a .wasm file");
        var html = await RenderAsync<EmptyState>(new Dictionary<string, object?>
        {
            [nameof(EmptyState.Title)] = "No actors yet",
            [nameof(EmptyState.ChildContent)] = guidance,
        });

        Assert.Contains("data-testid=\"empty-state\"", html);
        Assert.Contains("<h2>No actors yet</h2>", html);
        Assert.Contains("Upload a .wasm file", html);
    }

    [Fact]
    public async Task Empty_state_encodes_what_it_is_given()
    {
        var html = await RenderAsync<EmptyState>(new Dictionary<string, object?> { [nameof(EmptyState.Title)] = "<b>x</b>" });
        Assert.Contains("&lt;b&gt;x&lt;/b&gt;", html);
        Assert.DoesNotContain("<b>x</b>", html);
    }

    [Fact]
    public void Navigation_lists_every_console_section_once()
    {
        string[] expected = ["Overview", "Actors", "Providers", "Applications", "Topology", "Hosts", "Audit", "Usage & billing", "Settings"];
        Assert.Equal(expected, ConsoleNavigation.Items.Select(i => i.Title));
        Assert.Equal(ConsoleNavigation.Items.Count, ConsoleNavigation.Items.Select(i => i.Path).Distinct().Count());
    }
}
