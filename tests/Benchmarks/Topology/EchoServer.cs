using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Testing;
using Portal.Testing.Processes;

namespace Benchmarks.Topology;

/// <summary>
/// S8's floor: a bare SignalR hub that echoes, and a page with the browser SignalR client (from
/// npm, tests/Benchmarks/signalr-js), so the browser ↔ server round trip over the same kind of
/// connection a Blazor circuit uses is measured in the same run, on the same machine.
/// </summary>
internal static class EchoServer
{
    private const string Page = """
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>echo</title><script src="/signalr.min.js"></script></head><body>echo</body></html>
        """;

    public static async Task<WebApplication> StartAsync()
    {
        var script = Path.Combine(RepositoryRoot.Path, "tests/Benchmarks/signalr-js/node_modules/@microsoft/signalr/dist/browser/signalr.min.js");
        if (!File.Exists(script)) throw new InvalidOperationException($"{script} is missing: run ./portal bench (it runs npm ci), or npm ci in tests/Benchmarks/signalr-js.");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort.Next()}");
        builder.Logging.ClearProviders();
        builder.Services.AddSignalR();
        var app = builder.Build();
        app.MapGet("/", () => Results.Content(Page, "text/html"));
        app.MapGet("/signalr.min.js", () => Results.File(script, "text/javascript"));
        app.MapHub<EchoHub>("/echo");
        await app.StartAsync();
        return app;
    }

    private sealed class EchoHub : Hub
    {
        public string Echo(string text) => text;
    }
}
