using Microsoft.Playwright;
using Portal.Data.Billing;
using Portal.Testing;
using Portal.Testing.Billing;

namespace Portal.Tests.E2E.Artifacts;

/// <summary>An upload past the plan's artifact limit shows the same quota sentence REST answers, and stores nothing.</summary>
public sealed class ActorQuotaTests(PortalWebServer portal, Browser browser) : IClassFixture<PortalWebServer>
{
    [Fact]
    public async Task An_upload_past_the_plan_shows_the_quota_message_and_how_to_raise_it()
    {
        await portal.CapDefaultPlanAsync((BillingUnit.ArtifactCount, 0));
        var scenario = new PortalScenario(portal);
        var user = await scenario.UserAsync("capped@example.test");
        await scenario.TenantAsync(user, "capped");
        var page = await browser.NewPageAsync();
        await ConsoleLogin.SignInAsync(page, portal.BaseUrl, "capped@example.test");

        await ConsoleLogin.OpenAsync(page, portal.BaseUrl + "/actors");
        await page.GetByTestId("open-upload").ClickAsync();
        FilePayload[] files = [new() { Name = "tiny.wasm", MimeType = "application/wasm", Buffer = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00] }];
        // Blazor's file input listens only once its script has initialised it (see ActorUploadTests).
        for (var attempt = 0; attempt < 10 && await page.GetByTestId("upload-item").CountAsync() == 0; attempt++)
        {
            await page.GetByTestId("upload-input").SetInputFilesAsync(files);
            await page.WaitForTimeoutAsync(1000);
        }

        await page.GetByTestId("upload-tag").FillAsync("1.0.0");
        await page.GetByTestId("upload-start").ClickAsync();

        var status = page.GetByTestId("upload-item").GetByTestId("upload-status");
        await Assertions.Expect(status).ToContainTextAsync("Artifact quota reached: this tenant has 0 of 0 artifacts (limit plan 'free').");
        await Assertions.Expect(status).ToContainTextAsync("ask a platform administrator to raise artifacts");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsDirectory, "actor-upload-quota.png") });

        await using var db = portal.CreateDbContext();
        Assert.Empty(Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.IgnoreQueryFilters(db.Artifacts));
    }
}
