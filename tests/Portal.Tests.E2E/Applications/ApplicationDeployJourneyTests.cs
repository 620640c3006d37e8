using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Portal.Testing.Actors;
using Portal.Testing.Processes;

namespace Portal.Tests.E2E.Applications;

/// <summary>
/// The whole journey in the browser, against a portal that reconciles and one of our hosts in the
/// lattice: upload an actor, build an app with the HTTP server, link them by dragging, plan,
/// deploy, watch the status turn deployed, and call the wasm over HTTP.
/// </summary>
public sealed class ApplicationDeployJourneyTests(DeployJourneyLattice lattice, Browser browser) : IClassFixture<DeployJourneyLattice>
{
    private const string Graph = "app-links";
    private const string Yaml = "app-yaml";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Upload_build_link_plan_deploy_watch_it_deployed_and_call_it()
    {
        var portal = lattice.Portal.BaseUrl;
        var port = FreePort.Next();
        var page = await browser.NewPageAsync();
        await ConsoleLogin.SignInAsync(page, portal, DeployJourneyLattice.Email);

        // The actor, uploaded in the console.
        await ConsoleLogin.OpenAsync(page, portal + "/actors");
        await page.GetByTestId("open-upload").ClickAsync();
        FilePayload[] files = [new() { Name = "hello.wasm", MimeType = "application/wasm", Buffer = await ActorBuilder.CgiModuleAsync("hello", Ct) }];
        // Blazor's file input listens only once its script has initialised, a moment after the
        // dialog appears; the files are offered again until the dialog lists them.
        var listed = page.GetByTestId("upload-item");
        for (var attempt = 0; attempt < 20 && await listed.CountAsync() == 0; attempt++)
        {
            await page.GetByTestId("upload-input").SetInputFilesAsync(files);
            try
            {
                await listed.First.WaitForAsync(new() { Timeout = 1000 });
            }
            catch (TimeoutException)
            {
                // Not initialised yet: offer them again.
            }
        }

        await Assertions.Expect(listed).ToHaveCountAsync(1);
        await page.GetByTestId("upload-tag").FillAsync("1.0.0");
        await page.GetByTestId("upload-start").ClickAsync();
        await Assertions.Expect(listed.GetByTestId("upload-status")).ToContainTextAsync("Uploaded as hello:1.0.0");
        await page.GetByTestId("upload-close").ClickAsync();

        // The application, built visually.
        await ConsoleLogin.OpenAsync(page, portal + "/applications");
        await page.GetByTestId("new-application").ClickAsync();
        await page.WaitForFunctionAsync($"() => window.portalLinkGraphs?.['{Graph}'] && window.portalYamlEditors?.['{Yaml}']");
        await ConsoleLogin.WaitInteractiveAsync(page);
        await page.GetByTestId("app-name").FillAsync("greeter");
        await page.GetByTestId("app-name").PressAsync("Tab");
        await WaitForYamlAsync(page, "name: greeter");

        await ChooseAsync(page, "add-actor-choice", "hello:1.0.0");
        await page.GetByTestId("add-actor").ClickAsync();
        var hello = page.Locator("[data-testid=builder-component][data-name=hello]");
        await Assertions.Expect(hello).ToHaveCountAsync(1);
        // A spreadscaler whose one spread asks for the zone our host carries.
        await Assertions.Expect(hello.GetByTestId("component-scaler")).ToContainTextAsync("spreadscaler");
        await hello.GetByRole(AriaRole.Button, new() { Name = "Add spread" }).ClickAsync();
        var requirements = hello.GetByTestId("spread-requirements");
        await requirements.FillAsync($"zone={DeployJourneyLattice.Zone}");
        await requirements.PressAsync("Tab");
        await WaitForYamlAsync(page, $"zone: {DeployJourneyLattice.Zone}");

        await ChooseAsync(page, "add-provider-choice", "http-server (built in)");
        await page.GetByTestId("add-provider").ClickAsync();
        await Assertions.Expect(page.GetByTestId("builder-component")).ToHaveCountAsync(2);
        await page.WaitForFunctionAsync($"() => Object.keys(window.portalLinkGraphs['{Graph}'].nodes()).length === 2");

        // The link, drawn from the server to the actor, listening where this test will call.
        await DragAsync(page, "httpserver", "hello");
        var dialog = page.GetByTestId("link-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("httpserver calls hello");
        await Assertions.Expect(dialog.GetByTestId("link-source-config")).ToHaveValueAsync("address=0.0.0.0:8080");
        await dialog.GetByTestId("link-source-config").FillAsync($"address=127.0.0.1:{port}");
        await dialog.GetByTestId("link-save").ClickAsync();
        await page.WaitForFunctionAsync($"() => window.portalLinkGraphs['{Graph}'].edges().length === 1");
        await WaitForYamlAsync(page, "incoming-handler");
        await WaitForYamlAsync(page, $"address: 127.0.0.1:{port}");
        await Assertions.Expect(page.GetByTestId("editor-state")).ToContainTextAsync("Manifest is valid");

        await page.GetByTestId("editor-save").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(portal + "/applications/greeter");
        await Assertions.Expect(page.GetByTestId("versions-grid")).ToContainTextAsync("v0.1.0");
        await ConsoleLogin.WaitInteractiveAsync(page);

        // Plan: real commands for the host in the lattice, nothing in the way.
        await page.GetByTestId("application-plan").ClickAsync();
        await ChooseAsync(page, "choose-lattice", "dev");
        await page.GetByTestId("lattice-version-ok").ClickAsync();
        var plan = page.GetByTestId("plan-dialog");
        await Assertions.Expect(plan).ToContainTextAsync("Deploying greeter version v0.1.0 to dev is possible.");
        await Assertions.Expect(plan.GetByTestId("plan-change").Filter(new() { HasText = "on host" }).First).ToContainTextAsync($"(zone={DeployJourneyLattice.Zone})");
        await Assertions.Expect(plan.GetByTestId("plan-change").Filter(new() { HasText = "Start provider" })).ToHaveCountAsync(1);
        await Assertions.Expect(plan.GetByTestId("plan-problems")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsDirectory, "application-deploy-plan.png") });
        await plan.GetByTestId("plan-close").ClickAsync();
        await Assertions.Expect(plan).ToHaveCountAsync(0);

        // Deploy, then watch: the status arrives over the open circuit, no reload.
        await page.EvaluateAsync("() => window.portalStayed = true");
        await page.GetByTestId("application-deploy").ClickAsync();
        await ChooseAsync(page, "choose-lattice", "dev");
        await page.GetByTestId("lattice-version-ok").ClickAsync();
        var deployment = page.Locator("[data-testid=deployment][data-lattice=dev]");
        await Assertions.Expect(deployment).ToContainTextAsync("(deployed)");
        // The first pull and instantiate of the wasm on a busy machine can take a while.
        await Assertions.Expect(deployment.GetByTestId("status-badge").First).ToHaveAttributeAsync("data-status", "deployed", new() { Timeout = 300_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => window.portalStayed === true"), "the page reloaded");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsDirectory, "application-deployed.png"), FullPage = true });

        Assert.Equal("Hello from wasm\n", await GetWhenListeningAsync(port));
    }

    private static Task WaitForYamlAsync(IPage page, string text) =>
        page.WaitForFunctionAsync($"(t) => window.portalYamlEditors['{Yaml}'].value().includes(t)", text);

    private static async Task ChooseAsync(IPage page, string dropdown, string option)
    {
        await page.GetByTestId(dropdown).ClickAsync();
        await page.Locator(".rz-dropdown-item:visible", new() { HasText = option }).First.ClickAsync();
    }

    /// <summary>Drags between two nodes' centres; the button is released once the canvas shows the target (edgehandles picks it after a hover).</summary>
    private static async Task DragAsync(IPage page, string source, string target)
    {
        await page.GetByTestId("link-graph").ScrollIntoViewIfNeededAsync();
        var nodes = await page.EvaluateAsync<JsonElement>($"() => window.portalLinkGraphs['{Graph}'].nodes()");
        var (fromX, fromY) = (nodes.GetProperty(source).GetProperty("x").GetDouble(), nodes.GetProperty(source).GetProperty("y").GetDouble());
        var (toX, toY) = (nodes.GetProperty(target).GetProperty("x").GetDouble(), nodes.GetProperty(target).GetProperty("y").GetDouble());
        await page.Mouse.MoveAsync((float)fromX, (float)fromY);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((float)((fromX + toX) / 2), (float)((fromY + toY) / 2), new() { Steps = 8 });
        await page.Mouse.MoveAsync((float)toX, (float)toY, new() { Steps = 8 });
        await page.WaitForFunctionAsync($"(t) => window.portalLinkGraphs['{Graph}'].target() === t", target);
        await page.Mouse.UpAsync();
    }

    /// <summary>The wasm's answer; the provider starts listening once the link reaches it through the lattice store.</summary>
    private static async Task<string> GetWhenListeningAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var response = await Http.GetAsync($"http://127.0.0.1:{port}/", Ct);
                if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline) return await response.Content.ReadAsStringAsync(Ct);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // Not listening yet.
            }

            await Task.Delay(200, Ct);
        }
    }
}
