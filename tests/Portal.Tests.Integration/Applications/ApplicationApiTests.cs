using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Portal.Testing;
using static Portal.Tests.Integration.Applications.ApplicationTestKit;

namespace Portal.Tests.Integration.Applications;

/// <summary>Putting manifests, listing, reading, exporting, diffing and deleting applications over REST.</summary>
public sealed class ApplicationApiTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_put_creates_the_application_then_new_versions_in_insertion_order()
    {
        var api = await TenantAsync(portal, "app-create");

        var first = await PutAsync(api, "app-create", Simple("shop", "v2"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("/api/v1/tenants/app-create/applications/shop/versions/v2", first.Headers.Location?.OriginalString);
        var created = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(created.GetProperty("createdApplication").GetBoolean());
        // An image in another registry cannot be checked: accepted, with a warning that says so.
        var warning = Assert.Single(created.GetProperty("warnings").EnumerateArray());
        Assert.Equal("spec.components[0].properties.image", warning.GetProperty("path").GetString());
        Assert.Equal("warning", warning.GetProperty("severity").GetString());
        Assert.True(warning.GetProperty("line").GetInt32() > 0);

        // Versions keep the order they were put in, not their names' order.
        var second = await PutAsync(api, "app-create", Simple("shop", "v1", instances: 3));
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.False((await second.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("createdApplication").GetBoolean());

        var detail = await api.GetFromJsonAsync<JsonElement>("/api/v1/tenants/app-create/applications/shop", Ct);
        Assert.Equal(["v2", "v1"], detail.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()));
        Assert.Equal("v1", detail.GetProperty("application").GetProperty("latestVersion").GetString());
        Assert.Equal("made in a test", detail.GetProperty("application").GetProperty("description").GetString());

        await PutAsync(api, "app-create", Simple("cart", "1"));
        var list = await api.GetFromJsonAsync<JsonElement>("/api/v1/tenants/app-create/applications?limit=1", Ct);
        Assert.Equal("cart", Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("name").GetString());
        var next = list.GetProperty("nextCursor").GetString();
        var page2 = await api.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/app-create/applications?limit=1&cursor={next}", Ct);
        var shop = Assert.Single(page2.GetProperty("items").EnumerateArray());
        Assert.Equal("shop", shop.GetProperty("name").GetString());
        Assert.Equal(2, shop.GetProperty("versionCount").GetInt32());

        Assert.Equal(["application.create", "application.version.create", "application.create"], await AuditActionsAsync(portal, "app-create", "application."));
    }

    [Fact]
    public async Task Export_as_yaml_and_json_round_trips_to_the_same_manifest()
    {
        var api = await TenantAsync(portal, "app-export");
        await PutAsync(api, "app-export", Simple("shop", "1.0.0"));

        var yaml = await api.GetAsync("/api/v1/tenants/app-export/applications/shop/versions/1.0.0?format=yaml", Ct);
        Assert.Equal("application/yaml", yaml.Content.Headers.ContentType?.MediaType);
        var yamlText = await yaml.Content.ReadAsStringAsync(Ct);
        var json = await api.GetStringAsync("/api/v1/tenants/app-export/applications/shop/versions/1.0.0?format=json", Ct);
        var viaAccept = new HttpRequestMessage(HttpMethod.Get, "/api/v1/tenants/app-export/applications/shop/versions/1.0.0");
        viaAccept.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/yaml"));
        Assert.Equal(yamlText, await (await api.SendAsync(viaAccept, Ct)).Content.ReadAsStringAsync(Ct));

        // Put the exports back as new versions of another application: the canonical manifests match.
        var renamedYaml = yamlText.Replace("name: shop", "name: copy-yaml");
        var renamedJson = json.Replace("\"shop\"", "\"copy-json\"");
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(api, "app-export", renamedYaml)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/api/v1/tenants/app-export/applications", new StringContent(renamedJson, Encoding.UTF8, "application/json"), Ct)).StatusCode);
        // Without a Content-Type the text decides (YAML first, then JSON), as wadm does.
        var untyped = new ByteArrayContent(Encoding.UTF8.GetBytes(json.Replace("\"shop\"", "\"copy-raw\"")));
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/api/v1/tenants/app-export/applications", untyped, Ct)).StatusCode);

        var original = await ManifestAsync(api, "app-export", "shop", "1.0.0");
        foreach (var copy in new[] { "copy-yaml", "copy-json", "copy-raw" })
        {
            var other = await ManifestAsync(api, "app-export", copy, "1.0.0");
            other["metadata"]!["name"] = "shop";
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(original, other), $"{copy}: {other.ToJsonString()} differs from {original.ToJsonString()}");
        }

        var detail = await api.GetFromJsonAsync<JsonElement>("/api/v1/tenants/app-export/applications/copy-json/versions/1.0.0", Ct);
        Assert.Equal("json", detail.GetProperty("submittedFormat").GetString());
        Assert.Equal(renamedJson, detail.GetProperty("submitted").GetString());
    }

    [Fact]
    public async Task A_diff_shows_the_changed_lines_as_hunks()
    {
        var api = await TenantAsync(portal, "app-diff");
        await PutAsync(api, "app-diff", Simple("shop", "1", instances: 1));
        await PutAsync(api, "app-diff", Simple("shop", "2", instances: 5));

        var diff = await api.GetFromJsonAsync<JsonElement>("/api/v1/tenants/app-diff/applications/shop/diff?from=1&to=2", Ct);

        Assert.Equal(2, diff.GetProperty("added").GetInt32());
        Assert.Equal(2, diff.GetProperty("removed").GetInt32());
        var lines = diff.GetProperty("hunks").EnumerateArray().SelectMany(h => h.GetProperty("lines").EnumerateArray())
            .Select(l => l.GetProperty("op").GetString() + l.GetProperty("text").GetString()).ToList();
        Assert.Contains("-    version: \"1\"", lines);
        Assert.Contains("+    version: \"2\"", lines);
        Assert.Contains(lines, l => l.StartsWith('-') && l.EndsWith("instances: 1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith('+') && l.EndsWith("instances: 5", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(' '));

        var same = await api.GetFromJsonAsync<JsonElement>("/api/v1/tenants/app-diff/applications/shop/diff?from=2&to=2", Ct);
        Assert.Empty(same.GetProperty("hunks").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/tenants/app-diff/applications/shop/diff?from=1&to=9", Ct)).StatusCode);
    }

    [Fact]
    public async Task Reusing_a_version_is_a_409_naming_it_and_a_missing_version_is_assigned()
    {
        var api = await TenantAsync(portal, "app-versions");
        await PutAsync(api, "app-versions", Simple("shop", "v1"));
        var before = await CountsAsync(portal, "app-versions");

        var again = await PutAsync(api, "app-versions", Simple("shop", "v1", instances: 2));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Contains("v1", (await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString());
        Assert.Equal(before, await CountsAsync(portal, "app-versions"));

        var assigned = await PutAsync(api, "app-versions", Simple("shop", null));
        Assert.Equal(HttpStatusCode.Created, assigned.StatusCode);
        var body = await assigned.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(body.GetProperty("versionAssigned").GetBoolean());
        var version = body.GetProperty("version").GetString()!;
        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{26}$", version);
        // The assigned version is written into the stored manifest, as wadm's get returns it.
        var manifest = await ManifestAsync(api, "app-versions", "shop", version);
        Assert.Equal(version, manifest["metadata"]!["annotations"]!["version"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("latest-version", "metadata.annotations.version")]
    [InlineData("bad-name", "metadata.name")]
    [InlineData("dangling-link", "spec.components[1].traits[0].properties.target.name")]
    [InlineData("broken-yaml", "")]
    public async Task An_invalid_manifest_is_a_422_with_positions_and_stores_nothing(string kind, string path)
    {
        var slug = $"app-bad-{kind}";
        var api = await TenantAsync(portal, slug);
        var manifest = kind switch
        {
            "latest-version" => Simple("shop", "latest"),
            "bad-name" => Simple("shop.v2", "1"),
            "dangling-link" => HttpHello("shop", "1", "ghcr.io/example/hello:1").Replace("name: hello\n            namespace", "name: nobody\n            namespace"),
            _ => "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata: [unclosed\n",
        };
        var before = await CountsAsync(portal, slug);

        var response = await PutAsync(api, slug, manifest);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var error = problem.GetProperty("errors").EnumerateArray().First(e => e.GetProperty("severity").GetString() == "error");
        Assert.Equal(path, error.GetProperty("path").GetString());
        Assert.True(error.GetProperty("line").GetInt32() > 0, error.GetRawText());
        Assert.True(error.GetProperty("column").GetInt32() > 0, error.GetRawText());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(before, await CountsAsync(portal, slug));
    }

    [Fact]
    public async Task Unsupported_content_types_and_oversized_bodies_are_refused()
    {
        var api = await TenantAsync(portal, "app-body");
        var xml = await api.PostAsync("/api/v1/tenants/app-body/applications", new StringContent("<app/>", Encoding.UTF8, "application/xml"), Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, xml.StatusCode);
        var huge = await PutAsync(api, "app-body", Simple("shop", "1") + "\n#" + new string('x', 1024 * 1024));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal((0, 0, 0, 0), Rows(await CountsAsync(portal, "app-body")));
    }

    [Fact]
    public async Task Two_concurrent_puts_of_the_same_new_version_give_one_201_and_one_409()
    {
        var api = await TenantAsync(portal, "app-race");
        foreach (var round in new[] { "new-app", "new-version" })
        {
            if (round == "new-version") await PutAsync(api, "app-race", Simple("shop", "0"));
            var name = round == "new-app" ? "fresh" : "shop";
            var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => PutAsync(api, "app-race", Simple(name, "1"))));
            var codes = responses.Select(r => (int)r.StatusCode).Order().ToArray();
            Assert.True(codes is [201, 409], $"{round}: {string.Join(", ", codes)}: {string.Join(" | ", await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync(Ct))))}");
        }
    }

    [Fact]
    public async Task Deleting_versions_and_applications()
    {
        var api = await TenantAsync(portal, "app-delete");
        await PutAsync(api, "app-delete", Simple("shop", "1"));
        await PutAsync(api, "app-delete", Simple("shop", "2"));

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/api/v1/tenants/app-delete/applications/shop/versions/1", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/tenants/app-delete/applications/shop/versions/1", Ct)).StatusCode);
        // The last version goes with the application, not on its own.
        Assert.Equal(HttpStatusCode.Conflict, (await api.DeleteAsync("/api/v1/tenants/app-delete/applications/shop/versions/2", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/api/v1/tenants/app-delete/applications/shop", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/tenants/app-delete/applications/shop", Ct)).StatusCode);
        Assert.Equal((0, 0, 0, 0), Rows(await CountsAsync(portal, "app-delete")));
        Assert.Equal(["application.create", "application.version.create", "application.version.delete", "application.delete"], await AuditActionsAsync(portal, "app-delete", "application."));
    }

    [Fact]
    public async Task Another_tenants_applications_are_not_found_on_any_endpoint()
    {
        var mine = await TenantAsync(portal, "app-mine");
        var theirs = await TenantAsync(portal, "app-theirs");
        await PutAsync(mine, "app-mine", Simple("shop", "1"));
        await PutAsync(mine, "app-mine", Simple("shop", "2"));
        await mine.PostAsJsonAsync("/api/v1/tenants/app-mine/applications/shop/deploy", new { lattice = "dev", version = "1" }, Ct);

        (HttpMethod Method, string Path, object? Body)[] calls =
        [
            (HttpMethod.Get, "", null),
            (HttpMethod.Post, "", "yaml"),
            (HttpMethod.Get, "/shop", null),
            (HttpMethod.Get, "/shop/versions/1", null),
            (HttpMethod.Get, "/shop/versions/1?format=yaml", null),
            (HttpMethod.Get, "/shop/diff?from=1&to=2", null),
            (HttpMethod.Get, "/shop/events", null),
            (HttpMethod.Get, "/shop/status", null),
            (HttpMethod.Post, "/shop/plan", new { lattice = "dev" }),
            (HttpMethod.Post, "/shop/deploy", new { lattice = "dev", version = "2" }),
            (HttpMethod.Post, "/shop/rollback", new { lattice = "dev" }),
            (HttpMethod.Post, "/shop/undeploy", new { lattice = "dev" }),
            (HttpMethod.Delete, "/shop/versions/2", null),
            (HttpMethod.Delete, "/shop?undeploy=true", null),
        ];
        var before = await CountsAsync(portal, "app-mine");
        foreach (var (method, path, body) in calls)
        {
            var request = new HttpRequestMessage(method, $"/api/v1/tenants/app-mine/applications{path}")
            {
                Content = body switch { "yaml" => Yaml(Simple("shop", "3")), null => null, _ => JsonContent.Create(body) },
            };
            var response = await theirs.SendAsync(request, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode}");
        }

        // Under their own tenant the name does not resolve to ours either.
        Assert.Equal(HttpStatusCode.NotFound, (await theirs.GetAsync("/api/v1/tenants/app-theirs/applications/shop", Ct)).StatusCode);
        Assert.Equal(before, await CountsAsync(portal, "app-mine"));
    }

    private async Task<System.Text.Json.Nodes.JsonNode> ManifestAsync(HttpClient api, string slug, string app, string version)
    {
        var detail = await api.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}/applications/{app}/versions/{version}", Ct);
        return System.Text.Json.Nodes.JsonNode.Parse(detail.GetProperty("manifest").GetRawText())!;
    }

    private static (int, int, int, int) Rows((int Applications, int Versions, int Deployments, int Events, int Audit) counts) =>
        (counts.Applications, counts.Versions, counts.Deployments, counts.Events);
}
