using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Testing;

/// <summary>
/// The portal on a real Kestrel socket (for Playwright's Chromium), backed by the assembly's
/// private PostgreSQL and nats-server.
/// </summary>
public sealed class PortalWebServer(PortalServers servers) : PortalWebFactory(servers)
{
    public string BaseUrl { get; private set; } = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        // Port 0 on 127.0.0.1 only: the kernel picks a port no other server holds. (Picking a "free"
        // port first and binding "localhost" later let two test servers share one: one on IPv4,
        // the other quietly on IPv6 only, and a browser reached the wrong portal.)
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
    }
}
