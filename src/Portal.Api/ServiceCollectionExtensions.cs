using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Api.Artifacts;
using Portal.Api.Artifacts.Oci;
using Portal.Api.Audit;
using Portal.Api.Database;
using Portal.Api.Identity;
using Portal.Api.Health;
using Portal.Api.Seeding;
using Portal.Api.Http;
using Portal.Api.Invitations;
using Portal.Api.Lattices;
using Portal.Api.Lattices.Credentials;
using Portal.Api.Secrets;
using Portal.Api.Members;
using Portal.Api.Tenants;
using Portal.Api.Tenants.Access;
using Portal.Api.Tokens;
using Portal.Data;

namespace Portal.Api;

public static class ServiceCollectionExtensions
{
    /// <summary>Registers the application layer: data access, feature services and health checks.</summary>
    public static IServiceCollection AddPortalApi(this IServiceCollection services, IConfiguration configuration)
    {
        // Read when the first context is made, so test hosts can supply it late.
        services.AddDbContext<PortalDbContext>(options => options.UseNpgsql(
            ConnectionString(configuration),
            npgsql => npgsql.MigrationsAssembly(PortalDbContext.MigrationsAssembly)));

        services.Configure<NatsOptions>(configuration.GetSection(NatsOptions.Section));
        services.Configure<PortalOptions>(configuration.GetSection(PortalOptions.Section));
        services.AddProblemDetails();
        services.AddAuthorizationBuilder().AddPolicy(PortalApi.Policy, PortalApi.ApiPolicy());
        services.AddApiRateLimiting();

        services.AddHealthChecks()
            .AddDbContextCheck<PortalDbContext>("postgres")
            .AddCheck<NatsHealthCheck>("nats");

        services.AddPortalIdentity();
        services.AddPortalSecrets();
        services.AddSingleton<LogOutboxMailer>();
        services.TryAddSingleton<IPortalMailer>(sp => sp.GetRequiredService<LogOutboxMailer>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<AuditWriter>();
        services.AddScoped<DatabaseMigrator>();
        services.AddScoped<TenantAccess>();
        services.AddScoped<TenantContextAccessor>();
        services.AddScoped<TenantService>();
        services.AddScoped<MemberService>();
        services.AddScoped<InvitationService>();
        services.AddScoped<TokenService>();
        services.AddScoped<LatticeService>();
        services.AddScoped<HostCredentialService>();
        services.AddScoped<NatsAuthConfigurator>();
        services.AddScoped<AuditQuery>();
        services.AddScoped<AuditVerifier>();
        services.AddScoped<DemoSeeder>();
        services.AddArtifacts(configuration);
        services.AddOciRegistry(configuration);
        return services;
    }

    private static string ConnectionString(IConfiguration configuration)
    {
        var value = configuration.GetConnectionString("Portal");
        return string.IsNullOrWhiteSpace(value)
            ? throw new InvalidOperationException("ConnectionStrings:Portal is not set (environment variable ConnectionStrings__Portal).")
            : value;
    }
}
