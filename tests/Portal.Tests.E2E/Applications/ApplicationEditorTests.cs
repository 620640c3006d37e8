using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Api.Artifacts;
using Portal.Api.Lattices;
using Portal.Testing;
using Portal.Testing.Actors;

namespace Portal.Tests.E2E.Applications;

/// <summary>
/// A developer builds an application in the browser: an actor and the HTTP server, linked by
/// dragging on the canvas, checked in the YAML, saved, and planned against a lattice.
/// </summary>
public sealed class ApplicationEditorTests(PortalWebServer portal, Browser browser) : IClassFixture<PortalWebServer>
{
    private const string Graph = "app-links";
    private const string Yaml = "app-yaml";

    [Fact]
    public async Task Build_link_by_dragging_fix_the_yaml_save_and_plan()
    {
        var scenario = new PortalScenario(portal);
        var user = await scenario.UserAsync("builder@example.test");
        await scenario.TenantAsync(user, "apps");
        var context = await scenario.ContextAsync("apps", user);
        var wasm = await ActorBuilder.CgiModuleAsync("hello", TestContext.Current.CancellationToken);
        await portal.WithScopeAsync(sp => sp.GetRequiredService<ArtifactService>().UploadAsync(context, "hello", "1.0.0", new MemoryStream(wasm), wasm.Length));
        await portal.WithScopeAsync(sp => sp.GetRequiredService<LatticeService>().CreateAsync(context, new CreateLatticeRequest("dev")));

        var page = await browser.NewPageAsync();
        await ConsoleLogin.SignInAsync(page, portal.BaseUrl, "builder@example.test");
        await ConsoleLogin.OpenAsync(page, portal.BaseUrl + "/applications");
        await Assertions.Expect(page.GetByTestId("empty-state")).ToContainTextAsync("No applications yet");

        await page.GetByTestId("new-application").ClickAsync();
        // The canvas and the editor load their libraries after the first render; gestures before that go nowhere.
        await page.WaitForFunctionAsync($"() => window.portalLinkGraphs?.['{Graph}'] && window.portalYamlEditors?.['{Yaml}']");
        await ConsoleLogin.WaitInteractiveAsync(page);

        await page.GetByTestId("app-name").FillAsync("demo");
        await page.GetByTestId("app-name").PressAsync("Tab");
        await WaitForYamlAsync(page, "name: demo");

        // The builder: the uploaded actor with a spreadscaler of two, and the built-in HTTP server.
        await ChooseAsync(page, "add-actor-choice", "hello:1.0.0");
        await page.GetByTestId("add-actor").ClickAsync();
        await Assertions.Expect(page.GetByTestId("builder-component")).ToHaveCountAsync(1);
        var instances = page.GetByTestId("component-instances").Locator("input");
        await instances.FillAsync("2");
        await instances.PressAsync("Tab");
        await WaitForYamlAsync(page, "instances: 2");
        await ChooseAsync(page, "add-provider-choice", "http-server (built in)");
        await page.GetByTestId("add-provider").ClickAsync();
        await Assertions.Expect(page.GetByTestId("builder-component")).ToHaveCountAsync(2);
        await page.WaitForFunctionAsync($"() => Object.keys(window.portalLinkGraphs['{Graph}'].nodes()).length === 2");
        // A drag can only start on a node the person sees: the canvas brings new nodes into view.
        Assert.True(await page.EvaluateAsync<bool>($$"""
            () => {
              const box = document.querySelector('[data-testid=link-graph]').getBoundingClientRect();
              return Object.values(window.portalLinkGraphs['{{Graph}}'].nodes()).every((p) => p.x > box.left && p.x < box.right && p.y > box.top && p.y < box.bottom);
            }
            """), "a node of the link canvas lies outside its visible area");

        // Dragging from the server to the actor opens the link dialog with what both sides have.
        await DragAsync(page, "httpserver", "hello");
        var dialog = page.GetByTestId("link-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("httpserver calls hello");
        // The HTTP server's catalog entry says it reads an address: the new link starts with it.
        await Assertions.Expect(dialog.GetByTestId("link-source-config")).ToHaveValueAsync("address=0.0.0.0:8080");
        await dialog.GetByTestId("link-source-config-name").FillAsync("default-http");
        await dialog.GetByTestId("link-source-config").FillAsync("address=127.0.0.1:0");
        await dialog.GetByTestId("link-save").ClickAsync();
        await WaitForYamlAsync(page, "incoming-handler");
        await page.WaitForFunctionAsync($"() => window.portalLinkGraphs['{Graph}'].edges().length === 1");
        var label = await page.EvaluateAsync<string>($"() => window.portalLinkGraphs['{Graph}'].edges()[0].label");
        Assert.Equal("wasi:http/incoming-handler (default)", label);

        // Clicking the link edits it with every config of each end; a second one is added.
        var edge = await page.EvaluateAsync<JsonElement>($"() => window.portalLinkGraphs['{Graph}'].edges()[0]");
        await page.Mouse.ClickAsync((float)edge.GetProperty("x").GetDouble(), (float)edge.GetProperty("y").GetDouble());
        await Assertions.Expect(dialog.GetByTestId("link-source-config-name")).ToHaveValueAsync("default-http");
        await dialog.GetByTestId("link-source-config-add").ClickAsync();
        await Assertions.Expect(dialog.GetByTestId("link-source-config-name")).ToHaveCountAsync(2);
        await dialog.GetByTestId("link-source-config-name").Nth(1).FillAsync("limits");
        await dialog.GetByTestId("link-source-config").Nth(1).FillAsync("max_body=1mb");
        await dialog.GetByTestId("link-save").ClickAsync();
        await WaitForYamlAsync(page, "max_body");
        await WaitForYamlAsync(page, "default-http");

        // The wrong way round is refused with the reason.
        await DragAsync(page, "hello", "httpserver");
        await Assertions.Expect(page.GetByTestId("link-refusal")).ToContainTextAsync("httpserver exports no interface that hello imports");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsDirectory, "application-editor.png"), FullPage = true });

        // A field wadm does not know, typed at the top: a marker and a readable problem; removing it clears both.
        var editor = page.GetByTestId("yaml-editor").Locator(".CodeMirror");
        await editor.ClickAsync();
        await page.Keyboard.PressAsync("Control+Home");
        await page.Keyboard.TypeAsync("bogus: 1");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".CodeMirror-lint-mark-error").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("yaml-problems")).ToContainTextAsync("line 1");
        await Assertions.Expect(page.GetByTestId("editor-state")).ToContainTextAsync("error");
        await page.Keyboard.PressAsync("Control+Home");
        await page.Keyboard.PressAsync("Shift+ArrowDown");
        await page.Keyboard.PressAsync("Delete");
        await Assertions.Expect(page.GetByTestId("yaml-problems")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".CodeMirror-lint-mark-error")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("editor-state")).ToContainTextAsync("Manifest is valid");

        await page.GetByTestId("editor-save").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(portal.BaseUrl + "/applications/demo");
        await Assertions.Expect(page.GetByTestId("application-title")).ToHaveTextAsync("demo");
        await Assertions.Expect(page.GetByTestId("versions-grid")).ToContainTextAsync("v0.1.0");
        await Assertions.Expect(page.GetByTestId("versions-grid")).ToContainTextAsync("builder@example.test");
        await Assertions.Expect(page.GetByTestId("timeline-event").First).ToBeVisibleAsync();

        // Plan: the service's changes, or what stands in the way (no hosts run in this test's lattice).
        await page.GetByTestId("application-plan").ClickAsync();
        await page.GetByTestId("lattice-version-ok").ClickAsync();
        var plan = page.GetByTestId("plan-dialog");
        await Assertions.Expect(plan).ToContainTextAsync("Deploying demo version v0.1.0 to dev");
        if (await plan.GetByTestId("plan-change").CountAsync() == 0)
            await Assertions.Expect(plan.GetByTestId("plan-problems")).ToContainTextAsync("No hosts known in lattice dev");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsDirectory, "application-plan.png") });
        await plan.GetByTestId("plan-close").ClickAsync();
    }

    private static Task WaitForYamlAsync(IPage page, string text) =>
        page.WaitForFunctionAsync($"(t) => window.portalYamlEditors['{Yaml}'].value().includes(t)", text);

    private static async Task ChooseAsync(IPage page, string dropdown, string option)
    {
        await page.GetByTestId(dropdown).ClickAsync();
        await page.Locator(".rz-dropdown-item:visible", new() { HasText = option }).First.ClickAsync();
    }

    /// <summary>
    /// Drags from one node's centre to another's as a mouse would. edgehandles picks the target
    /// after a short hover, so the button is released only once the canvas shows that target.
    /// </summary>
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
}
