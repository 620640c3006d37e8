using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Portal.Api.Http;
using Portal.Api.Tenants.Access;

namespace Portal.Api.Audit;

internal static class AuditEndpoints
{
    public static void MapAuditEndpoints(this RouteGroupBuilder tenant)
    {
        tenant.MapGet("/audit", async (string? actor, string? action, string? target, DateTimeOffset? from, DateTimeOffset? to, string? q, string? cursor, int? limit,
                HttpContext http, TenantContextAccessor context, AuditQuery audit) =>
                Results.Ok(await audit.ListAsync(context.Current!, new AuditFilter(actor, action, target, from, to, q), cursor, limit, http.RequestAborted)))
            .RequireTenant(TenantPermission.Read).WithName("ListAuditEvents").WithSummary("The tenant's audit trail, newest first; cursor-paged.");

        tenant.MapGet("/audit/verify", async (HttpContext http, TenantContextAccessor context, AuditVerifier verifier) =>
                Results.Ok(await verifier.VerifyAsync(context.Current!, http.RequestAborted)))
            .RequireTenant(TenantPermission.Read).WithName("VerifyAudit").WithSummary("Recompute the hash chain and name the first broken event.");

        tenant.MapGet("/audit/export", async (string? format, string? actor, string? action, string? target, DateTimeOffset? from, DateTimeOffset? to, string? q,
                HttpContext http, TenantContextAccessor context, AuditQuery audit) =>
            {
                var filter = new AuditFilter(actor, action, target, from, to, q);
                var csv = !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase);
                if (format is not null && csv && !string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase))
                {
                    throw ValidationException.For("format", "format must be csv or json.");
                }

                var events = audit.StreamAsync(context.Current!, filter);
                http.Response.ContentType = csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"audit-{context.Current!.Slug}.{(csv ? "csv" : "json")}\"";
                await (csv ? AuditExport.WriteCsvAsync(events, http.Response.Body, http.RequestAborted) : AuditExport.WriteJsonAsync(events, http.Response.Body, http.RequestAborted));
                return Results.Empty;
            })
            .RequireTenant(TenantPermission.Read).WithName("ExportAudit").WithSummary("The filtered audit trail as CSV (default) or JSON.");
    }
}
