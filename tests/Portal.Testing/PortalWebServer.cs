using Xunit;

namespace Portal.Testing;

/// <summary>
/// The portal on a real Kestrel socket (for Playwright's Chromium), on a free loopback port,
/// backed by the assembly's private PostgreSQL and nats-server.
/// </summary>
public sealed class PortalWebServer(PortalServers servers) : PortalWebFactory(servers)
{
    public string BaseUrl { get; private set; } = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var port = Processes.FreePort.Next();
        UseKestrel(port);
        StartServer();
        BaseUrl = $"http://127.0.0.1:{port}";
    }
}
