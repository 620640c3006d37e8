using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Api.Quotas;

namespace Portal.Api.Deployments.Runtime;

public static class ReconcilerServiceCollectionExtensions
{
    /// <summary>The lattice runtime (connections, observers), the leader-elected reconciler, and the real signal and planner in place of the defaults.</summary>
    public static IServiceCollection AddReconciler(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ReconcilerSettings>(configuration.GetSection(ReconcilerSettings.Section));
        services.AddSingleton<TenantNatsConnections>();
        services.AddSingleton<LatticeRuntime>();
        services.AddSingleton<DesiredStateReader>();
        services.AddSingleton<ReconcilerService>();
        services.AddHostedService(sp => sp.GetRequiredService<ReconcilerService>());
        services.Replace(ServiceDescriptor.Singleton<IDeploymentSignal, ReconcilerSignal>());
        services.Replace(ServiceDescriptor.Singleton<IDeploymentPlanner, LatticePlanner>());
        services.Replace(ServiceDescriptor.Singleton<IObservedHosts, RuntimeObservedHosts>());
        return services;
    }
}
