using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Testing;

namespace Portal.Tests.Integration.Applications;

/// <summary>Manifests and arrangements the application tests share.</summary>
internal static class ApplicationTestKit
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A tenant owned by a fresh user, its <c>dev</c> lattice, and a client with every scope.</summary>
    public static async Task<HttpClient> TenantAsync(PortalWebFactory portal, string slug, params string[] lattices)
    {
        var scenario = new PortalScenario(portal);
        var owner = await scenario.UserAsync($"owner@{slug}.test");
        await scenario.TenantAsync(owner, slug);
        var client = scenario.Client(await scenario.TokenAsync(slug, owner, "read", "write", "deploy", "admin"));
        foreach (var lattice in lattices.Length == 0 ? ["dev"] : lattices)
        {
            (await client.PostAsJsonAsync($"/api/v1/tenants/{slug}/lattices", new { name = lattice }, Ct)).EnsureSuccessStatusCode();
        }

        return client;
    }

    /// <summary>Uploads wasm bytes as an artifact and answers its image reference in this portal's registry.</summary>
    public static async Task<string> ArtifactAsync(HttpClient client, string slug, string name, string tag, byte[] wasm)
    {
        var content = new ByteArrayContent(wasm);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        var response = await client.PostAsync($"/api/v1/tenants/{slug}/artifacts?name={name}&tag={tag}", content, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("artifact").GetProperty("imageRef").GetString()!;
    }

    /// <summary>The smallest valid core module: it imports and exports nothing.</summary>
    public static byte[] EmptyModule => [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00];

    /// <summary>An application of one component with a spreadscaler; the version line is left out when null.</summary>
    public static string Simple(string name, string? version, string image = "ghcr.io/example/hello:1.0.0", int instances = 1) => $"""
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: {name}
          annotations:
        {(version is null ? "    description: made in a test" : $"    version: \"{version}\"\n    description: made in a test")}
        spec:
          components:
            - name: hello
              type: component
              properties:
                image: {image}
              traits:
                - type: spreadscaler
                  properties:
                    instances: {instances}
        """;

    /// <summary>wadm's HTTP hello world, served by our built-in HTTP server, with the component's image given.</summary>
    public static string HttpHello(string name, string version, string image, string linkNamespace = "wasi", string linkPackage = "http", string linkInterface = "incoming-handler") => $"""
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: {name}
          annotations:
            version: {version}
        spec:
          components:
            - name: hello
              type: component
              properties:
                image: {image}
              traits:
                - type: spreadscaler
                  properties:
                    instances: 1
            - name: httpserver
              type: capability
              properties:
                image: wasmcloud+builtin://http-server
              traits:
                - type: link
                  properties:
                    target:
                      name: hello
                    namespace: {linkNamespace}
                    package: {linkPackage}
                    interfaces: [{linkInterface}]
                    source:
                      config:
                        - name: default-http
                          properties:
                            address: 0.0.0.0:8000
        """;

    public static StringContent Yaml(string text) => new(text, Encoding.UTF8, "application/yaml");

    public static async Task<HttpResponseMessage> PutAsync(HttpClient client, string slug, string manifest) =>
        await client.PostAsync($"/api/v1/tenants/{slug}/applications", Yaml(manifest), Ct);

    /// <summary>Rows of the application tables and audit events of a tenant, to show a refusal stored nothing.</summary>
    public static async Task<(int Applications, int Versions, int Deployments, int Events, int Audit)> CountsAsync(PortalWebFactory portal, string slug)
    {
        await using var db = portal.CreateDbContext();
        var tenant = await db.Tenants.SingleAsync(t => t.Slug == slug, Ct);
        return (
            await db.Applications.IgnoreQueryFilters().CountAsync(a => a.TenantId == tenant.Id, Ct),
            await db.ApplicationVersions.IgnoreQueryFilters().CountAsync(a => a.TenantId == tenant.Id, Ct),
            await db.Deployments.IgnoreQueryFilters().CountAsync(a => a.TenantId == tenant.Id, Ct),
            await db.ApplicationEvents.IgnoreQueryFilters().CountAsync(a => a.TenantId == tenant.Id, Ct),
            await db.AuditEvents.IgnoreQueryFilters().CountAsync(a => a.TenantId == tenant.Id, Ct));
    }

    public static async Task<List<string>> AuditActionsAsync(PortalWebFactory portal, string slug, string prefix)
    {
        await using var db = portal.CreateDbContext();
        var tenant = await db.Tenants.SingleAsync(t => t.Slug == slug, Ct);
        return await db.AuditEvents.IgnoreQueryFilters().Where(a => a.TenantId == tenant.Id && a.Action.StartsWith(prefix))
            .OrderBy(a => a.Sequence).Select(a => a.Action).ToListAsync(Ct);
    }
}
