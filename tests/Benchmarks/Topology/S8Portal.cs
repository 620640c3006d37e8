using System.Net;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Portal.Testing;

namespace Benchmarks.Topology;

/// <summary>
/// portal-web on a real socket for S8, keeping every circuit a closed page leaves behind (as it
/// keeps one whose connection dropped) so that 100+ circuits can be held without 100+ browser tabs,
/// and counting the circuits alive so the figures can be checked against what was opened.
/// </summary>
internal sealed class S8Portal(PortalServers servers) : PortalWebFactory(servers)
{
    public string BaseUrl { get; private set; } = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // Production, as deployed, with the console's static files served as in development
        // (the benchmark runs from the build output, not a published folder).
        builder.UseStaticWebAssets();
        builder.ConfigureServices(services =>
        {
            services.Configure<CircuitOptions>(o =>
            {
                o.DisconnectedCircuitMaxRetained = 10_000;
                o.DisconnectedCircuitRetentionPeriod = TimeSpan.FromHours(1);
            });
            services.AddScoped<CircuitHandler, CircuitCounter>();
        });
    }
}

/// <summary>Circuits opened and not yet disposed (connected or retained after a disconnect).</summary>
internal sealed class CircuitCounter : CircuitHandler
{
    private static int _alive;

    public static int Alive => Volatile.Read(ref _alive);

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _alive);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Decrement(ref _alive);
        return Task.CompletedTask;
    }
}
