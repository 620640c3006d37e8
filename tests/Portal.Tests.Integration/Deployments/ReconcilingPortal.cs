using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Portal.Api.Deployments.Runtime;
using Portal.Testing;

namespace Portal.Tests.Integration.Deployments;

/// <summary>
/// The portal on a real socket (our hosts pull images from its OCI registry) with reconciler
/// timings shortened for tests. Given a connection string it joins that database instead of
/// creating one: a second replica of the same installation.
/// </summary>
public sealed class ReconcilingPortal(PortalServers servers, string? sharedDatabase = null) : PortalWebFactory(servers)
{
    public string BaseUrl { get; private set; } = "";

    public ReconcilerService Reconciler => Services.GetRequiredService<ReconcilerService>();

    public override bool RunsReconciler => true;

    public override async ValueTask InitializeAsync()
    {
        if (sharedDatabase is null) await base.InitializeAsync();
        else ConnectionString = sharedDatabase;
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Portal:Reconciler:PassInterval", "00:00:01");
        builder.UseSetting("Portal:Reconciler:LeaderRetry", "00:00:01");
        builder.UseSetting("Portal:Reconciler:SyncInterval", "00:00:02");
        builder.UseSetting("Portal:Reconciler:ReapAfter", "00:00:03");
        builder.UseSetting("Portal:Reconciler:ReapInterval", "00:00:00.250");
        builder.UseSetting("Portal:Reconciler:SeedWindow", "00:00:00.500");
        builder.UseSetting("Portal:Reconciler:ProviderEventTimeout", "00:00:10");
    }
}
