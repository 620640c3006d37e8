using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Api.Account;
using Portal.Api.Applications;
using Portal.Api.Artifacts;
using Portal.Api.Billing.Metering;
using Portal.Api.Artifacts.Oci;
using Portal.Api.Audit;
using Portal.Api.Billing;
using Portal.Api.Deployments.Runtime;
using Portal.Api.Database;
using Portal.Api.Identity;
using Portal.Api.Health;
using Portal.Api.Seeding;
using Portal.Api.Http;
using Portal.Api.Http.Idempotency;
using Portal.Api.Invitations;
using Portal.Api.Lattices;
using Portal.Api.Lattices.Credentials;
using Portal.Api.Secrets;
using Portal.Api.Members;
using Portal.Api.Tenants;
using Portal.Api.Tenants.Access;
using Portal.Api.Tokens;
using Portal.Api.Topology;
using Portal.Data;

namespace Portal.Api;

public static class ServiceCollectionExtensions
{
    /// <summary>Registers the application layer: data access, feature services and health checks.</summary>
    public static IServiceCollection AddPortalApi(this IServiceCollection services, IConfiguration configuration)
    {
        // Read when the first context is made, so test hosts can supply it late. Pooled: a request
        // leases a context instead of building one and its internal services every time.
        services.AddPooledDbContextFactory<PortalDbContext>(options => options.UseNpgsql(
            ConnectionString(configuration),
            npgsql => npgsql.MigrationsAssembly(PortalDbContext.MigrationsAssembly)));
        // The pool resets EF's own state between leases but knows nothing of TenantScope: clear it
        // here, so a leased context starts unscoped (sees no tenant's rows) like a new one.
        services.AddScoped(sp =>
        {
            var db = sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
            db.TenantScope = null;
            return db;
        });

        services.Configure<NatsOptions>(configuration.GetSection(NatsOptions.Section));
        services.Configure<PortalOptions>(configuration.GetSection(PortalOptions.Section));
        services.Configure<IdempotencyOptions>(configuration.GetSection(IdempotencyOptions.Section));
        services.AddProblemDetails();
        services.AddAuthorizationBuilder().AddPolicy(PortalApi.Policy, PortalApi.ApiPolicy());
        services.AddApiRateLimiting();

        services.AddHealthChecks()
            .AddDbContextCheck<PortalDbContext>("postgres")
            .AddCheck<NatsHealthCheck>("nats");

        services.AddPortalIdentity();
        services.AddPortalSecrets(configuration);
        services.AddSingleton<LogOutboxMailer>();
        services.TryAddSingleton<IPortalMailer>(sp => sp.GetRequiredService<LogOutboxMailer>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<AuditWriter>();
        services.AddScoped<AccountEventWriter>();
        services.AddScoped<AccountService>();
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
        services.AddScoped<PlanSeeder>();
        services.AddScoped<PlanAdminService>();
        services.AddArtifacts(configuration);
        services.AddApplications();
        services.AddReconciler(configuration);
        services.AddMetering(configuration);
        services.Configure<TopologySettings>(configuration.GetSection(TopologySettings.Section));
        services.AddScoped<TopologyService>();
        services.AddSingleton<TopologyViewCache>();
        services.AddScoped<IdempotencyStore>();
        services.AddSingleton<IdempotencyPurgeService>();
        services.AddHostedService(sp => sp.GetRequiredService<IdempotencyPurgeService>());
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
