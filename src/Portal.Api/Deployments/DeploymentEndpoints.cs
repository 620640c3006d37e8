using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Portal.Api.Tenants.Access;

namespace Portal.Api.Deployments;

internal static class DeploymentEndpoints
{
    public static void MapDeploymentEndpoints(this RouteGroupBuilder tenant)
    {
        var app = tenant.MapGroup("/applications/{app}");

        app.MapPost("/deploy", async (string app, DeployRequest request, HttpContext http, TenantContextAccessor context, DeploymentService deployments) =>
                Accepted(await deployments.DeployAsync(context.Current!, app, request, http.RequestAborted), context, app))
            .RequireTenant(TenantPermission.Deploy).Produces<DeploymentChangeResponse>(StatusCodes.Status202Accepted).WithName("DeployApplication")
            .WithSummary("Deploy a version ({lattice, version?}; absent or 'latest' = newest) after checking it against the tenant's artifacts now. "
                + "202: the desired state is stored and the reconciler told; convergence shows in status.");

        app.MapPost("/undeploy", async (string app, LatticeRequest request, HttpContext http, TenantContextAccessor context, DeploymentService deployments) =>
                Accepted(await deployments.UndeployAsync(context.Current!, app, request, http.RequestAborted), context, app))
            .RequireTenant(TenantPermission.Deploy).Produces<DeploymentChangeResponse>(StatusCodes.Status202Accepted).WithName("UndeployApplication")
            .WithSummary("Undeploy from a lattice ({lattice}); undeploying what is not deployed changes nothing.");

        app.MapPost("/rollback", async (string app, LatticeRequest request, HttpContext http, TenantContextAccessor context, DeploymentService deployments) =>
                Accepted(await deployments.RollbackAsync(context.Current!, app, request, http.RequestAborted), context, app))
            .RequireTenant(TenantPermission.Deploy).Produces<DeploymentChangeResponse>(StatusCodes.Status202Accepted).WithName("RollbackApplication")
            .WithSummary("Deploy the version that was desired in the lattice before the current one ({lattice}); 409 when none is recorded.");

        app.MapGet("/status", async (string app, HttpContext http, TenantContextAccessor context, DeploymentService deployments) =>
                Results.Ok(await deployments.StatusAsync(context.Current!, app, http.RequestAborted)))
            .RequireTenant(TenantPermission.Read).WithName("GetApplicationStatus")
            .WithSummary("Status per lattice in wadm's shape: {status:{type, message}, scalers:[...]}.");

        app.MapPost("/plan", async (string app, DeployRequest request, HttpContext http, TenantContextAccessor context, DeploymentService deployments) =>
                Results.Ok(await deployments.PlanAsync(context.Current!, app, request, http.RequestAborted)))
            .RequireTenant(TenantPermission.Read).WithName("PlanApplicationDeployment")
            .WithSummary("What deploying ({lattice, version?}) would do, changing nothing: validation now, and the planner's changes and problems. "
                + "Without the reconciler's planner, changes are empty and problems say no hosts are known.");
    }

    private static IResult Accepted(DeploymentChangeResponse response, TenantContextAccessor context, string app) =>
        Results.Accepted($"/api/v1/tenants/{context.Current!.Slug}/applications/{app}/status", response);
}
