using Portal.Api.Http;
using Portal.Data.Billing;

namespace Portal.Api.Billing.Invoices;

public sealed record InvoiceLineResponse(int Position, string Description, string? Unit, decimal Used, long Included, long Quantity, decimal UnitPrice, decimal Amount);

public sealed record InvoiceResponse(
    Guid Id, string Number, string Tenant, string Month, string Plan, string Currency, string Status, decimal Total,
    DateTimeOffset CreatedAt, DateTimeOffset? IssuedAt, DateTimeOffset? PaidAt, DateTimeOffset? VoidedAt, IReadOnlyList<InvoiceLineResponse> Lines)
{
    public static InvoiceResponse From(Invoice i, string tenant) => new(
        i.Id, i.Number, tenant, BillingMonth.Format(i.Month), i.PlanName, i.Currency, i.Status.ToString().ToLowerInvariant(), i.Total,
        i.CreatedAt, i.IssuedAt, i.PaidAt, i.VoidedAt,
        i.Lines.OrderBy(l => l.Position).Select(l => new InvoiceLineResponse(
            l.Position, l.Description, l.Unit is { } u ? BillingUnits.Key(u) : null, l.Used, l.Included, l.Quantity, l.UnitPrice, l.Amount)).ToList());
}

/// <summary>Body of <c>POST /api/v1/admin/tenants/{tenant}/invoices/close</c>: the month as <c>YYYY-MM</c>.</summary>
public sealed record CloseMonthRequest(string? Month);

/// <summary>Body of <c>POST …/invoices/{id}/status</c>: <c>issued</c>, <c>paid</c> or <c>void</c>.</summary>
public sealed record InvoiceStatusRequest(string? Status);

/// <summary>Months as the API spells them (<c>2026-11</c>), stored as their first day.</summary>
public static class BillingMonth
{
    public static string Format(DateOnly month) => month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    public static DateOnly Parse(string? value, string field) =>
        DateOnly.TryParseExact(value + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var month)
            ? month
            : throw ValidationException.For(field, $"'{value}' is not a month; write it as YYYY-MM, e.g. 2026-10.");

    public static DateOnly Of(DateTimeOffset at) => new(at.UtcDateTime.Year, at.UtcDateTime.Month, 1);

    public static DateTimeOffset Start(DateOnly month) => new(month.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public static DateTimeOffset End(DateOnly month) => Start(month.AddMonths(1));
}
