using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Portal.Api.Identity;
using Portal.Api.Tenants.Access;

namespace Portal.Api.Billing;

internal static class PlanEndpoints
{
    /// <summary>Platform administration under <c>/api/v1/admin</c>: plans, and which plan (and overrides) a tenant has.</summary>
    public static void MapPlanAdminEndpoints(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin");
        static CurrentPrincipal Me(HttpContext http) => CurrentPrincipal.From(http.User, http)!;

        admin.MapGet("/plans", async (bool? includeArchived, HttpContext http, PlanAdminService plans) =>
                Results.Ok(await plans.ListAsync(Me(http), includeArchived ?? false, http.RequestAborted)))
            .WithName("ListPlans").WithSummary("Plans (platform admins). includeArchived=true lists archived ones too.");

        admin.MapPost("/plans", async (PlanRequest request, HttpContext http, PlanAdminService plans) =>
            {
                var created = await plans.CreateAsync(Me(http), request, http.RequestAborted);
                return Results.Created($"/api/v1/admin/plans/{created.Name}", created);
            })
            .WithName("CreatePlan").WithSummary("Create a plan: price, currency and a line per unit (hard cap, or overage price per block).");

        admin.MapGet("/plans/{plan}", async (string plan, HttpContext http, PlanAdminService plans) =>
                Results.Ok(await plans.GetAsync(Me(http), plan, http.RequestAborted)))
            .WithName("GetPlan");

        admin.MapPut("/plans/{plan}", async (string plan, PlanRequest request, HttpContext http, PlanAdminService plans) =>
                Results.Ok(await plans.UpdateAsync(Me(http), plan, request, http.RequestAborted)))
            .WithName("UpdatePlan").WithSummary("Replace a plan's price, description and lines; its tenants get the new limits at once.");

        admin.MapPost("/plans/{plan}/archive", async (string plan, HttpContext http, PlanAdminService plans) =>
                Results.Ok(await plans.ArchiveAsync(Me(http), plan, http.RequestAborted)))
            .WithName("ArchivePlan").WithSummary("Stop offering a plan; tenants on it stay on it.");

        admin.MapDelete("/plans/{plan}", async (string plan, HttpContext http, PlanAdminService plans) =>
            {
                await plans.DeleteAsync(Me(http), plan, http.RequestAborted);
                return Results.NoContent();
            })
            .WithName("DeletePlan").WithSummary("Delete a plan no tenant is on (409 otherwise: archive it instead).");

        admin.MapGet("/tenants/{tenant}/plan", async (string tenant, HttpContext http, PlanAdminService plans) =>
                Results.Ok(await plans.GetTenantPlanAsync(Me(http), tenant, http.RequestAborted)))
            .WithName("GetTenantPlanAsAdmin");

        admin.MapPut("/tenants/{tenant}/plan", async (string tenant, AssignPlanRequest request, HttpContext http, PlanAdminService plans) =>
                Results.Ok(await plans.AssignAsync(Me(http), tenant, request, http.RequestAborted)))
            .WithName("AssignTenantPlan").WithSummary("Put a tenant on a plan.");

        admin.MapPut("/tenants/{tenant}/plan/overrides/{unit}", async (string tenant, string unit, PlanOverrideRequest request, HttpContext http, PlanAdminService plans) =>
                Results.Ok(await plans.SetOverrideAsync(Me(http), tenant, unit, request, http.RequestAborted)))
            .WithName("SetTenantPlanOverride").WithSummary("Give one tenant its own line for one unit, whatever plan it is on.");

        admin.MapDelete("/tenants/{tenant}/plan/overrides/{unit}", async (string tenant, string unit, HttpContext http, PlanAdminService plans) =>
                Results.Ok(await plans.RemoveOverrideAsync(Me(http), tenant, unit, http.RequestAborted)))
            .WithName("RemoveTenantPlanOverride");
    }

    /// <summary><c>GET /api/v1/tenants/{tenant}/plan</c>: the plan the tenant is on and its effective limits.</summary>
    public static void MapTenantPlanEndpoints(this RouteGroupBuilder tenant)
    {
        tenant.MapGet("/plan", async (HttpContext http, TenantContextAccessor context, ITenantPlans plans) =>
            {
                var current = context.Current!;
                return Results.Ok(TenantPlanResponse.From(current.Slug, await plans.GetEffectivePlanAsync(current.TenantId, http.RequestAborted)));
            })
            .RequireTenant(TenantPermission.Read).WithName("GetTenantPlan").WithSummary("The tenant's plan and its effective limits (plan with overrides).");
    }
}
