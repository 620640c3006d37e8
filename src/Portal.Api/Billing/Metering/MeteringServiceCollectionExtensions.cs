using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Api.Billing.Metering;

public static class MeteringServiceCollectionExtensions
{
    /// <summary>The sampler, invocation listener, usage and invoice services and the monthly close (every replica; writes count once by period key and marks).</summary>
    public static IServiceCollection AddMetering(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<MeteringSettings>(configuration.GetSection(MeteringSettings.Section));
        services.AddSingleton<MeteringService>();
        services.AddHostedService(sp => sp.GetRequiredService<MeteringService>());
        services.AddScoped<Invoices.InvoiceService>();
        services.AddScoped<Usage.UsageService>();
        services.AddSingleton<Invoices.MonthlyCloseService>();
        services.AddHostedService(sp => sp.GetRequiredService<Invoices.MonthlyCloseService>());
        return services;
    }
}
