using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Api.Audit;
using Portal.Api.Billing.Invoices;
using Portal.Data.Billing;
using Portal.Testing;

namespace Portal.Tests.E2E.Billing;

/// <summary>
/// The usage page against a plan and metered records: bars coloured by how much of the included
/// amount is used, the last month's invoice listed, and its printable page with the same total.
/// </summary>
public sealed class UsagePageTests(PortalWebServer portal, Browser browser) : IClassFixture<PortalWebServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Usage_bars_turn_amber_and_red_and_last_months_invoice_opens()
    {
        var scenario = new PortalScenario(portal);
        var user = await scenario.UserAsync("billed@example.test");
        await scenario.TenantAsync(user, "billed");
        var now = DateTimeOffset.UtcNow;
        var thisMonth = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var lastMonth = thisMonth.AddMonths(-1);
        Guid tenantId;
        await using (var db = portal.CreateDbContext())
        {
            tenantId = (await db.Tenants.SingleAsync(t => t.Slug == "billed", Ct)).Id;
            var plan = new Plan
            {
                Name = "usage-page", Currency = "EUR", MonthlyPrice = 20m,
                Limits =
                [
                    new PlanLimit { Unit = BillingUnit.InvocationsPerMonth, Included = 1_000, OveragePrice = 0.01m, OverageQuantum = 1 },
                    new PlanLimit { Unit = BillingUnit.ActorInstanceSeconds, Included = 100_000, OveragePrice = null },
                    new PlanLimit { Unit = BillingUnit.ProviderInstanceSeconds, Included = 100_000, OveragePrice = null },
                ],
            };
            db.Plans.Add(plan);
            db.TenantPlans.RemoveRange(db.TenantPlans.IgnoreQueryFilters().Where(t => t.TenantId == tenantId));
            await db.SaveChangesAsync(Ct);
            db.TenantPlans.Add(new TenantPlan { TenantId = tenantId, PlanId = plan.Id, AssignedBy = "test" });
            db.UsageRecords.AddRange(
                Usage(tenantId, BillingUnit.InvocationsPerMonth, thisMonth, 900m), // 90 %: amber
                Usage(tenantId, BillingUnit.ActorInstanceSeconds, thisMonth, 150_000m), // 150 %: red
                Usage(tenantId, BillingUnit.ProviderInstanceSeconds, thisMonth, 10_000m), // 10 %: fine
                Usage(tenantId, BillingUnit.InvocationsPerMonth, lastMonth.AddDays(3), 1_250m)); // 250 over: 2.50 EUR
            await db.SaveChangesAsync(Ct);
        }

        using (var scope = portal.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<InvoiceService>()
                .CloseAsync(tenantId, DateOnly.FromDateTime(lastMonth.UtcDateTime), AuditActor.System("usage page test"), Ct);
        }

        var page = await browser.NewPageAsync();
        await ConsoleLogin.SignInAsync(page, portal.BaseUrl, "billed@example.test");
        await ConsoleLogin.OpenAsync(page, portal.BaseUrl + "/usage");

        var bars = page.GetByTestId("usage-bars");
        await Assertions.Expect(bars.Locator("[data-unit='invocationsPerMonth']")).ToHaveAttributeAsync("data-level", "warning");
        await Assertions.Expect(bars.Locator("[data-unit='actorInstanceSeconds']")).ToHaveAttributeAsync("data-level", "over");
        await Assertions.Expect(bars.Locator("[data-unit='providerInstanceSeconds']")).ToHaveAttributeAsync("data-level", "ok");
        await Assertions.Expect(bars.Locator("[data-unit='invocationsPerMonth']")).ToContainTextAsync("900 of 1,000 included (90 %)");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsDirectory, "usage-page.png"), FullPage = true });

        await Assertions.Expect(page.GetByTestId("invoice-list")).ToContainTextAsync("22.50");
        await page.GetByTestId("invoice-link").First.ClickAsync();
        await Assertions.Expect(page.FrameLocator("#invoice-frame").Locator("body")).ToContainTextAsync("22.50");
        await Assertions.Expect(page.GetByTestId("invoice-print")).ToBeVisibleAsync();
    }

    private static UsageRecord Usage(Guid tenant, BillingUnit unit, DateTimeOffset period, decimal quantity) =>
        new() { TenantId = tenant, LatticeId = "billed-dev", Application = "shop", Unit = unit, PeriodStart = period, Quantity = quantity };
}
