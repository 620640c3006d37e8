using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Portal.Host;
using Portal.Host.Configuration;
using Portal.Host.Engine;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;
using Portal.Testing.Actors;
using Portal.Testing.Processes;

namespace Portal.Tests.Integration.Host.Lattice;

/// <summary>Image refs: http(s) GETs with the host's credentials (the portal's artifact content endpoint) and file:// only when allowed.</summary>
public sealed class ArtifactFetchTests
{
    private const string Token = "host-secret";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Scales_from_an_http_artifact_url_with_the_host_token_and_refuses_file_refs_without_allow_file_load()
    {
        var wasm = await ActorBuilder.CgiModuleAsync("hello", Ct);
        var port = FreePort.Next();
        await using var portal = await StartArtifactServerAsync(port, wasm);
        await using var nats = await NatsServer.StartAsync(cancellationToken: Ct);
        var lattice = $"art{Guid.NewGuid():N}"[..16];
        await using var host = new LatticeHost(new HostOptions { NatsPort = nats.Port, Lattice = lattice, ArtifactToken = Token, EngineWorkers = 1 });
        await host.StartAsync(Ct);
        await using var connection = new NatsConnection(new NatsOpts { Url = nats.Url });
        await using var events = await EventRecorder.StartAsync(connection, lattice, Ct);
        var client = new LatticeClient(connection, new LatticeClientOptions { Lattice = lattice });
        var content = $"http://127.0.0.1:{port}/api/v1/tenants/acme/artifacts/hello/1.0.0/content";

        await Scale(client, host, "from-portal", content);
        var scaled = await events.WaitAsync(LatticeEvents.ComponentScaled, d => d.GetProperty("component_id").GetString() == "from-portal", cancellationToken: Ct);
        Assert.Equal(content, scaled.Data.GetProperty("image_ref").GetString());
        var response = await host.Engine.InvokeHttpAsync("from-portal", HttpActorRequest.Get("/"), Ct);
        Assert.Equal("Hello from wasm\n", System.Text.Encoding.UTF8.GetString(response.Body.Span));

        await Scale(client, host, "missing", content.Replace("hello", "nope"));
        var notFound = await events.WaitAsync(LatticeEvents.ComponentScaleFailed, d => d.GetProperty("component_id").GetString() == "missing", cancellationToken: Ct);
        Assert.Contains("HTTP 404", notFound.Data.GetProperty("error").GetString());

        await Scale(client, host, "from-file", "file:///tmp/hello.wasm");
        var refused = await events.WaitAsync(LatticeEvents.ComponentScaleFailed, d => d.GetProperty("component_id").GetString() == "from-file", cancellationToken: Ct);
        Assert.Contains("--allow-file-load", refused.Data.GetProperty("error").GetString());
        Assert.False(host.Components.IsRunning("from-file"));
    }

    private static async Task Scale(LatticeClient client, LatticeHost host, string id, string image)
    {
        var reply = await client.ScaleComponentAsync(new ScaleComponentCommand { ComponentId = id, ComponentRef = image, MaxInstances = 1, HostId = host.HostId }, Ct);
        Assert.True(reply.Success, reply.Message);
    }

    /// <summary>Stands in for the portal's artifact content endpoint: bytes only with the bearer token.</summary>
    private static async Task<WebApplication> StartArtifactServerAsync(int port, byte[] wasm)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.Run(async context =>
        {
            if (context.Request.Headers.Authorization != $"Bearer {Token}")
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            if (context.Request.Path != "/api/v1/tenants/acme/artifacts/hello/1.0.0/content")
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.ContentType = "application/wasm";
            await context.Response.Body.WriteAsync(wasm);
        });
        await app.StartAsync(Ct);
        return app;
    }
}
