using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Api.Artifacts.Providers;
using Portal.Api.Artifacts.Storage;
using Portal.Api.Quotas;

namespace Portal.Api.Artifacts;

public static class ArtifactServiceCollectionExtensions
{
    public static IServiceCollection AddArtifacts(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<QuotaOptions>(configuration.GetSection(QuotaOptions.Section));
        services.AddScoped<StorageQuota>();
        services.AddScoped<PostgresBlobStore>();
        services.AddScoped<IBlobStore>(sp => sp.GetRequiredService<PostgresBlobStore>());
        services.TryAddScoped<IArtifactUsage, NoArtifactUsage>();
        services.AddScoped<ArtifactService>();
        services.AddScoped<ProviderService>();
        return services;
    }
}
