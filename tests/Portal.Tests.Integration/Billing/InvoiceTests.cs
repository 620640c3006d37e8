using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Billing;
using Portal.Testing;

namespace Portal.Tests.Integration.Billing;

/// <summary>
/// A synthetic October: usage records written straight into the table, a plan with known prices,
/// the month closed over REST; the invoice equals the computation written out below. Then its
/// statuses, documents, and that no other tenant can see it or its usage.
/// </summary>
public sealed class InvoiceTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Oct = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Closing_a_synthetic_month_bills_base_price_plus_overage_as_computed_by_hand()
    {
        var scenario = new PortalScenario(portal);
        var admin = await scenario.UserAsync("billing-admin@invoice.test");
        await using (var db = portal.CreateDbContext())
        {
            (await db.Users.SingleAsync(u => u.Id == admin.Id, Ct)).IsPlatformAdmin = true;
            await db.SaveChangesAsync(Ct);
        }

        await scenario.TenantAsync(admin, "inv-ops");
        var owner = await scenario.UserAsync("owner@inv-a.test");
        await scenario.TenantAsync(owner, "inv-a");
        var other = await scenario.UserAsync("owner@inv-b.test");
        await scenario.TenantAsync(other, "inv-b");
        Guid aId, bId;
        await using (var db = portal.CreateDbContext())
        {
            (aId, bId) = (await db.Tenants.SingleAsync(t => t.Slug == "inv-a", Ct)).Id is var x ? (x, (await db.Tenants.SingleAsync(t => t.Slug == "inv-b", Ct)).Id) : default;
        }

        using var adminApi = scenario.Client(await scenario.TokenAsync("inv-ops", admin, "read", "admin"));
        using var ownerApi = scenario.Client(await scenario.TokenAsync("inv-a", owner, "read"));
        using var otherApi = scenario.Client(await scenario.TokenAsync("inv-b", other, "read"));

        await using (var db = portal.CreateDbContext())
        {
            var plan = new Plan
            {
                Name = "metered-test", Currency = "EUR", MonthlyPrice = 49.00m,
                Limits =
                [
                    new PlanLimit { Unit = BillingUnit.ActorInstanceSeconds, Included = 100_000, OveragePrice = 0.0125m, OverageQuantum = 3600 },
                    new PlanLimit { Unit = BillingUnit.InvocationsPerMonth, Included = 1_000, OveragePrice = 0.005m, OverageQuantum = 1 },
                    new PlanLimit { Unit = BillingUnit.StorageByteHours, Included = 1_000_000_000, OveragePrice = 0.02m, OverageQuantum = 1_073_741_824 },
                    new PlanLimit { Unit = BillingUnit.ProviderInstanceSeconds, Included = 5, OveragePrice = null },
                ],
            };
            db.Plans.Add(plan);
            // New tenants are put on the default plan; move A to this one.
            db.TenantPlans.RemoveRange(db.TenantPlans.IgnoreQueryFilters().Where(t => t.TenantId == aId));
            await db.SaveChangesAsync(Ct);
            db.TenantPlans.Add(new TenantPlan { TenantId = aId, PlanId = plan.Id, AssignedBy = "test" });
            db.TenantPlanOverrides.RemoveRange(db.TenantPlanOverrides.IgnoreQueryFilters().Where(o => o.TenantId == aId));
            await db.SaveChangesAsync(Ct);
            db.UsageRecords.AddRange(
                Usage(aId, "inv-a-dev", "shop", BillingUnit.ActorInstanceSeconds, Oct.AddDays(2), 150_000m),
                Usage(aId, "inv-a-dev", "", BillingUnit.ActorInstanceSeconds, Oct.AddDays(30).AddHours(23).AddMinutes(59), 50_000.5m),
                Usage(aId, "inv-a-dev", "shop", BillingUnit.InvocationsPerMonth, Oct.AddDays(5), 1_000m),
                Usage(aId, "inv-a-prod", "shop", BillingUnit.InvocationsPerMonth, Oct.AddDays(6), 501m),
                Usage(aId, "", "", BillingUnit.StorageByteHours, Oct.AddDays(9), 3_000_000_000m),
                Usage(aId, "inv-a-dev", "", BillingUnit.ProviderInstanceSeconds, Oct.AddDays(9), 10m),
                // Outside October, and another tenant's October: not on this invoice.
                Usage(aId, "inv-a-dev", "shop", BillingUnit.InvocationsPerMonth, Oct.AddSeconds(-1), 7_000m),
                Usage(aId, "inv-a-dev", "shop", BillingUnit.InvocationsPerMonth, Oct.AddMonths(1), 7_000m),
                Usage(bId, "inv-b-dev", "shop", BillingUnit.InvocationsPerMonth, Oct.AddDays(5), 9_000m));
            await db.SaveChangesAsync(Ct);
        }

        var closed = await adminApi.PostAsJsonAsync("/api/v1/admin/tenants/inv-a/invoices/close", new { month = "2026-10" }, Ct);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        var invoice = await closed.Content.ReadFromJsonAsync<JsonElement>(Ct);

        // By hand:
        //   base                                                                         49.00
        //   actor instance-seconds: 200,000.5 used → 200,001 whole; 100,001 over 100,000;
        //     started blocks of 3,600: 28 (27 × 3,600 = 97,200 < 100,001) × 0.0125 =   0.35
        //   invocations: 1,501 used, 501 over 1,000; 501 × 0.005 = 2.505 → half to even  2.50
        //   storage byte-hours: 3e9 used, 2e9 over 1e9; blocks of 1 GiB: ceil(1.86) = 2
        //     × 0.02 =                                                                     0.04
        //   provider instance-seconds: over its 5, but a hard cap has no overage line
        //   total = 49.00 + 0.35 + 2.50 + 0.04 =                                        51.89
        Assert.Equal(51.89m, invoice.GetProperty("total").GetDecimal());
        Assert.Equal("EUR", invoice.GetProperty("currency").GetString());
        Assert.Equal("draft", invoice.GetProperty("status").GetString());
        Assert.Equal("2026-10", invoice.GetProperty("month").GetString());
        var lines = invoice.GetProperty("lines").EnumerateArray()
            .Select(l => (Unit: l.GetProperty("unit").GetString(), Quantity: l.GetProperty("quantity").GetInt64(), Amount: l.GetProperty("amount").GetDecimal())).ToList();
        Assert.Equal(
            [(null, 1, 49.00m), ("actorInstanceSeconds", 28, 0.35m), ("invocationsPerMonth", 501, 2.50m), ("storageByteHours", 2, 0.04m)],
            lines);
        var id = invoice.GetProperty("id").GetGuid();
        await using (var db = portal.CreateDbContext())
        {
            Assert.Equal(1, await db.AuditEvents.IgnoreQueryFilters().CountAsync(e => e.TenantId == aId && e.Action == "invoice.close", Ct));
        }

        // Closing the draft again recomputes it in place: still one invoice.
        Assert.Equal(HttpStatusCode.OK, (await adminApi.PostAsJsonAsync("/api/v1/admin/tenants/inv-a/invoices/close", new { month = "2026-10" }, Ct)).StatusCode);
        var listed = await ownerApi.GetFromJsonAsync<JsonElement>("/api/v1/tenants/inv-a/invoices", Ct);
        Assert.Equal(id, Assert.Single(listed.EnumerateArray()).GetProperty("id").GetGuid());

        // The month not over yet, and a bad month, are refused with problem details; nothing written.
        Assert.Equal(HttpStatusCode.BadRequest, (await adminApi.PostAsJsonAsync("/api/v1/admin/tenants/inv-a/invoices/close", new { month = "2999-01" }, Ct)).StatusCode);
        var bad = await adminApi.PostAsJsonAsync("/api/v1/admin/tenants/inv-a/invoices/close", new { month = "October" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);

        // draft → issued → paid; paid cannot be voided; a paid month cannot be closed again.
        Assert.Equal("issued", (await SetStatusAsync(adminApi, id, "issued")).GetProperty("status").GetString());
        Assert.Equal("paid", (await SetStatusAsync(adminApi, id, "paid")).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await adminApi.PostAsJsonAsync($"/api/v1/admin/tenants/inv-a/invoices/{id}/status", new { status = "void" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await adminApi.PostAsJsonAsync($"/api/v1/admin/tenants/inv-a/invoices/{id}/status", new { status = "draft" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await adminApi.PostAsJsonAsync("/api/v1/admin/tenants/inv-a/invoices/close", new { month = "2026-10" }, Ct)).StatusCode);
        // Not a platform admin: 403.
        Assert.Equal(HttpStatusCode.Forbidden, (await ownerApi.PostAsJsonAsync("/api/v1/admin/tenants/inv-a/invoices/close", new { month = "2026-10" }, Ct)).StatusCode);

        // Printable HTML (by Accept or /html) and CSV.
        using var htmlRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/tenants/inv-a/invoices/{id}");
        htmlRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        var html = await ownerApi.SendAsync(htmlRequest, Ct);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        var page = await html.Content.ReadAsStringAsync(Ct);
        Assert.Contains("51.89 EUR", page);
        Assert.Contains("2.50 EUR", page);
        Assert.Contains("paid", page);
        Assert.Contains("51.89 EUR", await ownerApi.GetStringAsync($"/api/v1/tenants/inv-a/invoices/{id}/html", Ct));
        var csv = (await ownerApi.GetStringAsync($"/api/v1/tenants/inv-a/invoices/{id}/csv", Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, csv.Length);
        Assert.Equal("2026-10-inv-a,2026-10,,Total,,,,,,51.89,EUR", csv[^1]);

        // Usage of October, as the tenant sees it.
        var usage = await ownerApi.GetFromJsonAsync<JsonElement>("/api/v1/tenants/inv-a/usage?month=2026-10", Ct);
        var units = usage.GetProperty("units").EnumerateArray().ToDictionary(u => u.GetProperty("unit").GetString()!, u => u.GetProperty("used").GetDecimal());
        Assert.Equal(200_000.5m, units["actorInstanceSeconds"]);
        Assert.Equal(1_501m, units["invocationsPerMonth"]);
        var shop = usage.GetProperty("applications").EnumerateArray().Where(x => x.GetProperty("application").GetString() == "shop")
            .Sum(x => x.GetProperty("units").TryGetProperty("invocationsPerMonth", out var q) ? q.GetDecimal() : 0);
        Assert.Equal(1_501m, shop);
        var invocationDays = usage.GetProperty("daily").EnumerateArray().Single(s => s.GetProperty("unit").GetString() == "invocationsPerMonth").GetProperty("points");
        Assert.Equal(["2026-10-06", "2026-10-07"], invocationDays.EnumerateArray().Select(p => p.GetProperty("day").GetString()));

        // Another tenant: A's invoice is not found by id through its own tenant, and A's routes are 404 to it.
        Assert.Equal(HttpStatusCode.NotFound, (await otherApi.GetAsync($"/api/v1/tenants/inv-b/invoices/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherApi.GetAsync($"/api/v1/tenants/inv-a/invoices/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherApi.GetAsync($"/api/v1/tenants/inv-a/invoices/{id}/csv", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherApi.GetAsync("/api/v1/tenants/inv-a/usage", Ct)).StatusCode);
        Assert.Empty((await otherApi.GetFromJsonAsync<JsonElement>("/api/v1/tenants/inv-b/invoices", Ct)).EnumerateArray());
        var bUsage = await otherApi.GetFromJsonAsync<JsonElement>("/api/v1/tenants/inv-b/usage?month=2026-10", Ct);
        Assert.Equal(9_000m, bUsage.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("unit").GetString() == "invocationsPerMonth").GetProperty("used").GetDecimal());

        // The platform view: both tenants' use, and October's revenue.
        var platform = await adminApi.GetFromJsonAsync<JsonElement>("/api/v1/admin/usage?month=2026-10", Ct);
        Assert.Equal(51.89m, platform.GetProperty("revenue").GetProperty("EUR").GetDecimal());
        var rowA = platform.GetProperty("tenants").EnumerateArray().Single(t => t.GetProperty("tenant").GetString() == "inv-a");
        Assert.Equal("paid", rowA.GetProperty("invoiceStatus").GetString());
    }

    private static async Task<JsonElement> SetStatusAsync(HttpClient api, Guid id, string status)
    {
        var response = await api.PostAsJsonAsync($"/api/v1/admin/tenants/inv-a/invoices/{id}/status", new { status }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static UsageRecord Usage(Guid tenant, string lattice, string app, BillingUnit unit, DateTimeOffset period, decimal quantity) =>
        new() { TenantId = tenant, LatticeId = lattice, Application = app, Unit = unit, PeriodStart = period, Quantity = quantity };
}
