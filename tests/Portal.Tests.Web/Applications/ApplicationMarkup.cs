using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using Radzen;

namespace Portal.Tests.Web.Applications;

/// <summary>Renders an Applications component to HTML with the framework's HtmlRenderer, as the app's static render does.</summary>
internal static class ApplicationMarkup
{
    public static async Task<string> RenderAsync<TComponent>(IDictionary<string, object?> parameters, Action<IServiceCollection>? services = null) where TComponent : IComponent
    {
        var collection = new ServiceCollection().AddLogging();
        collection.AddSingleton<IJSRuntime, NoJavaScript>();
        collection.AddRadzenComponents();
        services?.Invoke(collection);
        await using var provider = collection.BuildServiceProvider();
        await using var renderer = new HtmlRenderer(provider, provider.GetRequiredService<ILoggerFactory>());
        return await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters))).ToHtmlString());
    }

    // Pure rendering pieces must not need a browser.
    private sealed class NoJavaScript : IJSRuntime
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
            throw new InvalidOperationException($"JS call '{identifier}' during static rendering");

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            InvokeAsync<TValue>(identifier, args);
    }
}
