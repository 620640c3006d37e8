using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Portal.Api.Billing.Usage;
using Portal.Api.Identity;
using Portal.Api.Tenants.Access;

namespace Portal.Api.Billing.Invoices;

internal static class InvoiceEndpoints
{
    /// <summary><c>/api/v1/tenants/{tenant}/usage</c> and <c>…/invoices</c>: the tenant's own use and bills.</summary>
    public static void MapUsageAndInvoiceEndpoints(this RouteGroupBuilder tenant)
    {
        tenant.MapGet("/usage", async (string? month, HttpContext http, TenantContextAccessor context, UsageService usage) =>
                Results.Ok(await usage.GetAsync(context.Current!, month, http.RequestAborted)))
            .RequireTenant(TenantPermission.Read).WithName("GetUsage")
            .WithSummary("A month's metered use (default: this month) against the plan, per application and per day, with a linear forecast for the month's end.");

        tenant.MapGet("/invoices", async (HttpContext http, TenantContextAccessor context, InvoiceService invoices) =>
                Results.Ok(await invoices.ListAsync(context.Current!, http.RequestAborted)))
            .RequireTenant(TenantPermission.Read).WithName("ListInvoices");

        tenant.MapGet("/invoices/{id:guid}", async (Guid id, HttpContext http, TenantContextAccessor context, InvoiceService invoices) =>
            {
                var invoice = await invoices.GetAsync(context.Current!, id, http.RequestAborted);
                var wantsHtml = http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
                return wantsHtml ? Results.Content(InvoiceDocuments.Html(invoice), "text/html; charset=utf-8") : Results.Ok(invoice);
            })
            .RequireTenant(TenantPermission.Read).WithName("GetInvoice").WithSummary("An invoice as JSON, or as a printable page with Accept: text/html.")
            .Produces<InvoiceResponse>().Produces(StatusCodes.Status200OK, contentType: "text/html");

        tenant.MapGet("/invoices/{id:guid}/html", async (Guid id, HttpContext http, TenantContextAccessor context, InvoiceService invoices) =>
                Results.Content(InvoiceDocuments.Html(await invoices.GetAsync(context.Current!, id, http.RequestAborted)), "text/html; charset=utf-8"))
            .RequireTenant(TenantPermission.Read).WithName("GetInvoiceHtml").WithSummary("The printable invoice.");

        tenant.MapGet("/invoices/{id:guid}/csv", async (Guid id, HttpContext http, TenantContextAccessor context, InvoiceService invoices) =>
            {
                var invoice = await invoices.GetAsync(context.Current!, id, http.RequestAborted);
                return Results.File(System.Text.Encoding.UTF8.GetBytes(InvoiceDocuments.Csv(invoice)), "text/csv; charset=utf-8", $"invoice-{invoice.Number}.csv");
            })
            .RequireTenant(TenantPermission.Read).WithName("GetInvoiceCsv").WithSummary("The invoice's lines and total as CSV.");
    }

    /// <summary>Platform administration: close a tenant's month, move an invoice's status, see every tenant's usage and revenue.</summary>
    public static void MapInvoiceAdminEndpoints(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin");
        static CurrentPrincipal Me(HttpContext http) => CurrentPrincipal.From(http.User, http)!;

        admin.MapPost("/tenants/{tenant}/invoices/close", async (string tenant, CloseMonthRequest request, HttpContext http, InvoiceService invoices) =>
                Results.Ok(await invoices.CloseAsync(Me(http), tenant, request, http.RequestAborted)))
            .WithName("CloseInvoiceMonth").WithSummary("Close a past month for a tenant: a draft invoice (an existing draft is recomputed).");

        admin.MapPost("/tenants/{tenant}/invoices/{id:guid}/status", async (string tenant, Guid id, InvoiceStatusRequest request, HttpContext http, InvoiceService invoices) =>
                Results.Ok(await invoices.SetStatusAsync(Me(http), tenant, id, request, http.RequestAborted)))
            .WithName("SetInvoiceStatus").WithSummary("Move an invoice: draft → issued → paid, or draft/issued → void.");

        admin.MapGet("/usage", async (string? month, HttpContext http, UsageService usage) =>
                Results.Ok(await usage.PlatformAsync(Me(http), month, http.RequestAborted)))
            .WithName("GetPlatformUsage").WithSummary("Every tenant's metered use in a month (default: this month), its invoice, and revenue per currency.");
    }
}
