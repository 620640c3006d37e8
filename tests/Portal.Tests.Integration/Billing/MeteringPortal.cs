using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Portal.Api.Billing.Metering;
using Portal.Testing;

namespace Portal.Tests.Integration.Billing;

/// <summary>
/// A portal that meters every second. Given a connection string it joins that database instead of
/// creating one: another replica of the same installation.
/// </summary>
public sealed class MeteringPortal(PortalServers servers, string? sharedDatabase = null) : PortalWebFactory(servers)
{
    public override bool RunsMetering => true;

    public MeteringService Metering => Services.GetRequiredService<MeteringService>();

    public override async ValueTask InitializeAsync()
    {
        if (sharedDatabase is null) await base.InitializeAsync();
        else ConnectionString = sharedDatabase;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Portal:Metering:Interval", "00:00:01");
        builder.UseSetting("Portal:Reconciler:SeedWindow", "00:00:00.500");
    }
}
