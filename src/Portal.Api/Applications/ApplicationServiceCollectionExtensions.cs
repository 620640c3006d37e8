using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Api.Applications.Validation;
using Portal.Api.Artifacts;
using Portal.Api.Billing;
using Portal.Api.Deployments;
using Portal.Api.Quotas;

namespace Portal.Api.Applications;

public static class ApplicationServiceCollectionExtensions
{
    /// <summary>Applications and deployments. The reconciler replaces the signal and the planner by registering its own first.</summary>
    public static IServiceCollection AddApplications(this IServiceCollection services)
    {
        services.AddScoped<ApplicationTimeline>();
        services.AddScoped<ArtifactReferenceChecker>();
        services.TryAddScoped<ITenantPlans, TenantPlans>();
        services.TryAddScoped<ITenantLimits, PlanTenantLimits>();
        services.TryAddSingleton<IObservedHosts, NoObservedHosts>();
        services.AddScoped<ApplicationQuota>();
        services.AddScoped<ApplicationService>();
        services.AddScoped<DeploymentService>();
        services.AddScoped<DeploymentStatusWriter>();
        services.AddSingleton<DeploymentStatusFeed>();
        services.AddHostedService<DeploymentStatusListener>();
        services.TryAddSingleton<IDeploymentSignal, NoDeploymentSignal>();
        services.TryAddSingleton<IDeploymentPlanner, ValidationOnlyPlanner>();
        // Replaces the no-op AddArtifacts registers: deployed applications do use artifacts.
        services.Replace(ServiceDescriptor.Scoped<IArtifactUsage, ApplicationUsage>());
        return services;
    }
}
