using Portal.Api.Billing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Portal.Api.Applications;
using Portal.Api.Artifacts;
using Portal.Api.Artifacts.Providers;
using Portal.Api.Audit;
using Portal.Api.Billing.Invoices;
using Portal.Api.Deployments;
using Portal.Api.Http;
using Portal.Api.Http.Idempotency;
using Portal.Api.Identity;
using Portal.Api.Invitations;
using Portal.Api.Lattices;
using Portal.Api.Me;
using Portal.Api.Members;
using Portal.Api.Tenants;
using Portal.Api.Tenants.Access;
using Portal.Api.Tokens;
using Portal.Api.Topology;

namespace Portal.Api;

/// <summary>The REST API under <c>/api/v1</c>: its middleware and its routes, one feature at a time.</summary>
public static class PortalApi
{
    public const string Prefix = "/api/v1";
    public const string Policy = "api";

    /// <summary>Middleware that must run between authorization and the endpoints.</summary>
    public static IApplicationBuilder UsePortalApiPipeline(this IApplicationBuilder app)
    {
        app.UseMiddleware<TenantResolutionMiddleware>();
        app.UseMiddleware<Quotas.TenantRequestRateMiddleware>();
        app.UseRateLimiter();
        app.UseMiddleware<IdempotencyMiddleware>();
        return app;
    }

    public static RouteGroupBuilder MapPortalApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Prefix)
            .RequireAuthorization(Policy)
            .AddEndpointFilter(ProblemResults.CatchProblems)
            .WithTags("Lattice Portal");
        var tenant = api.MapGroup("/tenants/{tenant}");

        api.MapMeEndpoints();
        api.MapTenantEndpoints();
        api.MapInvitationEndpoints(tenant);
        tenant.MapMemberEndpoints();
        tenant.MapTokenEndpoints();
        tenant.MapLatticeEndpoints();
        tenant.MapAuditEndpoints();
        tenant.MapArtifactEndpoints();
        tenant.MapProviderEndpoints();
        tenant.MapApplicationEndpoints();
        tenant.MapTenantPlanEndpoints();
        tenant.MapUsageAndInvoiceEndpoints();
        api.MapInvoiceAdminEndpoints();
        api.MapPlanAdminEndpoints();
        tenant.MapDeploymentEndpoints();
        tenant.MapTopologyEndpoints();
        return api;
    }

    internal static AuthorizationPolicy ApiPolicy() => new AuthorizationPolicyBuilder(PortalClaims.BearerScheme).RequireAuthenticatedUser().Build();
}
