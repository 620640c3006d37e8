using Microsoft.Playwright;
using Portal.Testing;
using Portal.Testing.Actors;

namespace Portal.Tests.E2E.Artifacts;

/// <summary>A developer uploads actors in the browser, sees what the inspector found, and deletes one.</summary>
public sealed class ActorUploadTests(PortalWebServer portal, Browser browser) : IClassFixture<PortalWebServer>
{
    [Fact]
    public async Task Upload_with_progress_see_the_detail_and_delete_with_confirmation()
    {
        var scenario = new PortalScenario(portal);
        var user = await scenario.UserAsync("uploader@example.test");
        await scenario.TenantAsync(user, "uploads");
        var wasm = await ActorBuilder.CgiModuleAsync("hello", TestContext.Current.CancellationToken);
        var page = await browser.NewPageAsync();
        await ConsoleLogin.SignInAsync(page, portal.BaseUrl, "uploader@example.test");

        // A newcomer sees what actors are and how to add one.
        await ConsoleLogin.OpenAsync(page, portal.BaseUrl + "/actors");
        await Assertions.Expect(page.GetByTestId("empty-state")).ToContainTextAsync("No actors yet");

        // Two files at once: a real module and a picture someone dropped by mistake.
        await page.GetByTestId("open-upload").ClickAsync();
        FilePayload[] files =
        [
            new() { Name = "hello.wasm", MimeType = "application/wasm", Buffer = wasm },
            new() { Name = "diagram.png", MimeType = "image/png", Buffer = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] },
        ];
        // Blazor's file input listens for changes only once its script has initialised it, a moment
        // after the dialog appears; a person cannot be that quick, a test can, so it tries again.
        for (var attempt = 0; attempt < 10 && await page.GetByTestId("upload-item").CountAsync() == 0; attempt++)
        {
            await page.GetByTestId("upload-input").SetInputFilesAsync(files);
            await page.WaitForTimeoutAsync(1000);
        }

        await Assertions.Expect(page.GetByTestId("upload-item")).ToHaveCountAsync(2);
        await page.GetByTestId("upload-tag").FillAsync("1.0.0");
        await page.GetByTestId("upload-start").ClickAsync();

        var hello = page.GetByTestId("upload-item").Filter(new() { HasText = "hello.wasm" });
        await Assertions.Expect(hello.GetByTestId("upload-status")).ToContainTextAsync("Uploaded as hello:1.0.0");
        await Assertions.Expect(hello.GetByTestId("upload-progress")).ToContainTextAsync("100");
        var diagram = page.GetByTestId("upload-item").Filter(new() { HasText = "diagram.png" });
        await Assertions.Expect(diagram.GetByTestId("upload-status")).ToContainTextAsync("PNG");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsDirectory, "actor-upload.png") });
        await page.GetByTestId("upload-close").ClickAsync();

        // The grid lists the module; its page shows what the inspector read.
        var grid = page.GetByTestId("actors-grid");
        await Assertions.Expect(grid).ToContainTextAsync("hello");
        await Assertions.Expect(grid).ToContainTextAsync("core module");
        await grid.GetByTestId("actor-link").First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("actor-title")).ToContainTextAsync("hello:1.0.0");
        await Assertions.Expect(page.GetByTestId("actor-exports")).ToContainTextAsync("wasi:http/incoming-handler");
        await Assertions.Expect(page.GetByTestId("actor-metadata")).ToContainTextAsync("served as CGI");
        await Assertions.Expect(page.GetByTestId("actor-image-ref")).ToContainTextAsync("/uploads/hello:1.0.0");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsDirectory, "actor-detail.png"), FullPage = true });

        // Deleting asks first; keeping it changes nothing, confirming removes it.
        await page.GetByTestId("actor-delete").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Keep it" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("actor-title")).ToBeVisibleAsync();
        await page.GetByTestId("actor-delete").ClickAsync();
        await page.Locator(".rz-dialog").GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(portal.BaseUrl + "/actors");
        await Assertions.Expect(page.GetByTestId("empty-state")).ToContainTextAsync("No actors yet");
    }
}
