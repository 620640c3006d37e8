using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Testing;
using Portal.Testing.Actors;
using static Portal.Tests.Integration.Applications.ApplicationTestKit;

namespace Portal.Tests.Integration.Applications;

/// <summary>The portal's checks on top of wadm's: images must be known artifacts or providers, links must fit what each side imports and exports.</summary>
public sealed class ManifestReferenceTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_link_that_fits_the_inspected_interfaces_is_accepted_without_warnings()
    {
        const string slug = "ref-fits";
        var api = await TenantAsync(portal, slug);
        var image = await ArtifactAsync(api, slug, "hello", "1", await ActorBuilder.CgiModuleAsync("hello", Ct));

        var response = await PutAsync(api, slug, HttpHello("shop", "1", image));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Empty((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public async Task A_link_neither_side_supports_is_an_error_at_the_link_naming_what_each_side_lacks()
    {
        const string slug = "ref-mismatch";
        var api = await TenantAsync(portal, slug);
        var image = await ArtifactAsync(api, slug, "hello", "1", await ActorBuilder.CgiModuleAsync("hello", Ct));
        var before = await CountsAsync(portal, slug);

        var response = await PutAsync(api, slug, HttpHello("shop", "1", image, "wasi", "keyvalue", "store"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").EnumerateArray().ToList();
        Assert.All(errors, e => Assert.Equal("spec.components[1].traits[0]", e.GetProperty("path").GetString()));
        Assert.All(errors, e => Assert.True(e.GetProperty("line").GetInt32() > 10));
        Assert.Contains(errors, e => e.GetProperty("message").GetString()!.Contains("source 'httpserver'", StringComparison.Ordinal) && e.GetProperty("message").GetString()!.Contains("does not import wasi:keyvalue/store", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.GetProperty("message").GetString()!.Contains("target 'hello'", StringComparison.Ordinal) && e.GetProperty("message").GetString()!.Contains("does not export wasi:keyvalue/store", StringComparison.Ordinal));
        Assert.Equal(before, await CountsAsync(portal, slug));
    }

    [Theory]
    [InlineData("missing", "No artifact ghost:1")]
    [InlineData("other-tenant", "not yours")]
    [InlineData("builtin", "no built-in provider 'teleporter'")]
    public async Task Unknown_images_are_errors_at_their_line(string kind, string expected)
    {
        var slug = $"ref-{kind}";
        var api = await TenantAsync(portal, slug);
        var own = await ArtifactAsync(api, slug, "real", "1", EmptyModule);
        var registry = own[..own.IndexOf('/')];
        // The other tenant really has the artifact: the answer must be the same as if it had not.
        var other = await TenantAsync(portal, $"{slug}-x");
        await ArtifactAsync(other, $"{slug}-x", "ghost", "1", EmptyModule);
        var image = kind switch
        {
            "missing" => $"{registry}/{slug}/ghost:1",
            "other-tenant" => $"{registry}/{slug}-x/ghost:1",
            _ => "wasmcloud+builtin://teleporter",
        };

        var response = await PutAsync(api, slug, Simple("shop", "1", image));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").EnumerateArray());
        Assert.Equal("spec.components[0].properties.image", error.GetProperty("path").GetString());
        Assert.Equal(13, error.GetProperty("line").GetInt32());
        Assert.Contains(expected, error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_artifact_a_deployed_version_uses_cannot_be_deleted_until_undeployed()
    {
        const string slug = "ref-usage";
        var api = await TenantAsync(portal, slug);
        var image = await ArtifactAsync(api, slug, "hello", "1", EmptyModule);
        await PutAsync(api, slug, Simple("shop", "1", image));
        // Only deployed versions hold an artifact: a stored, undeployed one does not.
        Assert.Empty((await api.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}/artifacts/hello/1", Ct)).GetProperty("usedBy").EnumerateArray());
        (await api.PostAsJsonAsync($"/api/v1/tenants/{slug}/applications/shop/deploy", new { lattice = "dev" }, Ct)).EnsureSuccessStatusCode();

        var refused = await api.DeleteAsync($"/api/v1/tenants/{slug}/artifacts/hello/1", Ct);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("shop", (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString());
        Assert.Single((await api.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}/artifacts/hello/1", Ct)).GetProperty("usedBy").EnumerateArray());

        (await api.PostAsJsonAsync($"/api/v1/tenants/{slug}/applications/shop/undeploy", new { lattice = "dev" }, Ct)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/tenants/{slug}/artifacts/hello/1", Ct)).StatusCode);

        // Deploying it again is checked against the artifacts as they are now: the image is gone.
        var redeploy = await api.PostAsJsonAsync($"/api/v1/tenants/{slug}/applications/shop/deploy", new { lattice = "dev" }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, redeploy.StatusCode);
        Assert.Contains("No artifact hello:1", await redeploy.Content.ReadAsStringAsync(Ct));
    }
}
