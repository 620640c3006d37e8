using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Api.Artifacts.Oci;

public static class OciServiceCollectionExtensions
{
    /// <summary>The OCI registry's services and its purge of abandoned uploads; map the routes with <see cref="OciRegistryEndpoints.MapOciRegistry"/>.</summary>
    public static IServiceCollection AddOciRegistry(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<OciRegistryOptions>(configuration.GetSection(OciRegistryOptions.Section));
        services.AddScoped<OciAuthenticator>();
        services.AddScoped<UploadSessionStore>();
        services.AddScoped<OciBlobService>();
        services.AddScoped<OciManifestService>();
        services.AddScoped<OciUploadPurge>();
        services.AddHostedService<OciUploadPurgeService>();
        return services;
    }
}
