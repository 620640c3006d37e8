using Microsoft.AspNetCore.Http;
using Portal.Api.Http;
using Portal.Api.Identity;

namespace Portal.Api.Tenants.Access;

/// <summary>
/// Runs after authentication and authorization: for an endpoint marked with
/// <see cref="RequiresTenantPermission"/>, resolves the route's tenant for the caller and demands
/// the permission, answering 404 or 403 as problem details before the endpoint runs.
/// </summary>
public sealed class TenantResolutionMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, TenantAccess access, TenantContextAccessor accessor)
    {
        var requirement = context.GetEndpoint()?.Metadata.GetMetadata<RequiresTenantPermission>();
        if (requirement is null || context.Request.RouteValues["tenant"] is not string slug)
        {
            await next(context);
            return;
        }

        try
        {
            var principal = CurrentPrincipal.From(context.User, context) ?? throw new NotFoundException("Sign in first.");
            var tenant = await access.ResolveAsync(slug, principal, context.RequestAborted);
            tenant.Demand(requirement.Permission);
            accessor.Current = tenant;
        }
        catch (PortalProblemException problem)
        {
            await Results.Problem(ProblemResults.ToProblem(problem, context)).ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
