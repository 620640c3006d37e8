using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Testing;

namespace Portal.Tests.Integration.Api;

/// <summary>
/// The API's published shape is checked in (docs/openapi/v1.json). A change to an endpoint that
/// changes the document fails here until the checked-in copy is updated on purpose with
/// <c>./portal openapi</c>, so API changes are always visible in review.
/// </summary>
public sealed class OpenApiDocumentTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private static readonly string CheckedIn = Path.Combine(RepositoryRoot.Path, "docs", "openapi", "v1.json");

    [Fact]
    public async Task The_openapi_document_matches_the_checked_in_copy()
    {
        using var client = portal.CreateClient();
        var response = await client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var actual = Normalise(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        if (Environment.GetEnvironmentVariable("PORTAL_UPDATE_OPENAPI") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(CheckedIn)!);
            await File.WriteAllTextAsync(CheckedIn, actual, TestContext.Current.CancellationToken);
        }

        Assert.True(File.Exists(CheckedIn), "docs/openapi/v1.json is missing: run ./portal openapi");
        var expected = await File.ReadAllTextAsync(CheckedIn, TestContext.Current.CancellationToken);
        Assert.True(expected == actual, "The API's OpenAPI document changed. If that is intended, run ./portal openapi and commit docs/openapi/v1.json.");
    }

    [Fact]
    public async Task The_browsable_api_docs_are_served()
    {
        using var client = portal.CreateClient();
        var html = await client.GetStringAsync("/api/docs/index.html", TestContext.Current.CancellationToken);
        Assert.Contains("swagger-ui", html, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Indented, with the server list removed (it names the test host's address).</summary>
    private static string Normalise(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("servers");
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
