using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Api.Billing.Metering;

public static class MeteringServiceCollectionExtensions
{
    /// <summary>The sampler and invocation listener (every replica; writes count once by period key and marks).</summary>
    public static IServiceCollection AddMetering(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<MeteringSettings>(configuration.GetSection(MeteringSettings.Section));
        services.AddSingleton<MeteringService>();
        services.AddHostedService(sp => sp.GetRequiredService<MeteringService>());
        return services;
    }
}
