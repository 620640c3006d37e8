namespace Portal.Api.Billing.Usage;

/// <summary>One metered unit in a month: use so far against the plan's line, and a forecast for the month's end.</summary>
public sealed record UnitUsage(
    string Unit, decimal Used, long? Included, bool HardCap, decimal? OveragePrice, long OverageQuantum,
    double? Percent, decimal Forecast, decimal? ForecastPercent);

public sealed record ApplicationUsage(string Application, string Lattice, IReadOnlyDictionary<string, decimal> Units);

public sealed record DailyPoint(DateOnly Day, decimal Quantity);

public sealed record DailySeries(string Unit, IReadOnlyList<DailyPoint> Points);

/// <summary>
/// <c>GET /api/v1/tenants/{tenant}/usage</c>. <see cref="Forecast"/>s are linear: use so far divided
/// by the elapsed share of the month (a past month's forecast is its use).
/// </summary>
public sealed record UsageResponse(
    string Tenant, string Month, DateTimeOffset From, DateTimeOffset To, DateTimeOffset AsOf, string Plan, string Currency, decimal MonthlyPrice,
    double ElapsedShare, IReadOnlyList<UnitUsage> Units, IReadOnlyList<ApplicationUsage> Applications, IReadOnlyList<DailySeries> Daily);

public sealed record TenantUsageSummary(string Tenant, string Plan, string Currency, IReadOnlyDictionary<string, decimal> Units, string? InvoiceStatus, decimal? InvoiceTotal);

/// <summary><c>GET /api/v1/admin/usage</c>: every tenant's use in a month, and revenue per currency (invoices not void).</summary>
public sealed record PlatformUsageResponse(string Month, IReadOnlyList<TenantUsageSummary> Tenants, IReadOnlyDictionary<string, decimal> Revenue);
