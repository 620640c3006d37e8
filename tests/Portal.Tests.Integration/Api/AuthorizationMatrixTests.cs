using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Tenants;
using Portal.Testing;

namespace Portal.Tests.Integration.Api;

/// <summary>
/// Every /api/v1 endpoint, called as anonymous, as a token lacking the needed scope, as a Viewer,
/// as a member of another tenant and as an Owner, against one table of expectations. An endpoint
/// missing from the table fails the first test, so no new endpoint can skip this matrix.
/// </summary>
public sealed class AuthorizationMatrixTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Arranged ids the paths refer to.</summary>
    private sealed record World(string MemberId, string InvitationId, string TokenId, string CredentialId);

    /// <param name="Scope">The scope a token needs (null: none beyond being signed in).</param>
    /// <param name="TenantScoped">Whether the route has {tenant}: then another tenant's member gets 404.</param>
    private sealed record Case(string Method, string Pattern, string? Scope, bool TenantScoped, int Viewer, int Owner, Func<World, string> Path, object? Body = null, Func<HttpContent>? Content = null);

    /// <summary>The smallest valid core module: magic and version, no sections.</summary>
    private static ByteArrayContent EmptyModule() => new([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]);

    /// <summary>A manifest of one component in another registry (accepted with a warning).</summary>
    private static string Manifest(string name, string version) =>
        $"apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: {name}\n  annotations:\n    version: \"{version}\"\n"
        + "spec:\n  components:\n    - name: hello\n      type: component\n      properties:\n        image: ghcr.io/example/hello:1\n";

    private static StringContent Yaml(string text) => new(text, System.Text.Encoding.UTF8, "application/yaml");

    private const string Apps = "/api/v1/tenants/{tenant}/applications";

    private const string Lattice = "/api/v1/tenants/{tenant}/lattices/{lattice}";

    private static readonly Case[] Matrix =
    [
        new("GET", "/api/v1/me", null, false, 200, 200, _ => "/api/v1/me"),
        new("GET", "/api/v1/tenants", null, false, 200, 200, _ => "/api/v1/tenants"),
        new("POST", "/api/v1/tenants", "admin", false, 201, 201, _ => "/api/v1/tenants", new { slug = "matrix-made", displayName = "Made" }),
        new("POST", "/api/v1/invitations/{secret}/accept", "admin", false, 404, 404, _ => "/api/v1/invitations/not-a-real-secret/accept"),
        new("GET", "/api/v1/tenants/{tenant}", "read", true, 200, 200, _ => "/api/v1/tenants/matrix"),
        new("PATCH", "/api/v1/tenants/{tenant}", "admin", true, 403, 200, _ => "/api/v1/tenants/matrix", new { displayName = "Matrix Inc" }),
        new("GET", "/api/v1/tenants/{tenant}/members", "read", true, 200, 200, _ => "/api/v1/tenants/matrix/members"),
        new("PATCH", "/api/v1/tenants/{tenant}/members/{userId:guid}", "admin", true, 403, 200, w => $"/api/v1/tenants/matrix/members/{w.MemberId}", new { role = "Viewer" }),
        new("DELETE", "/api/v1/tenants/{tenant}/members/{userId:guid}", "read", true, 403, 204, w => $"/api/v1/tenants/matrix/members/{w.MemberId}"),
        new("GET", "/api/v1/tenants/{tenant}/invitations", "admin", true, 403, 200, _ => "/api/v1/tenants/matrix/invitations"),
        new("POST", "/api/v1/tenants/{tenant}/invitations", "admin", true, 403, 201, _ => "/api/v1/tenants/matrix/invitations", new { email = "new@example.test", role = "Viewer" }),
        new("DELETE", "/api/v1/tenants/{tenant}/invitations/{id:guid}", "admin", true, 403, 204, w => $"/api/v1/tenants/matrix/invitations/{w.InvitationId}"),
        new("GET", "/api/v1/tenants/{tenant}/tokens", "read", true, 200, 200, _ => "/api/v1/tenants/matrix/tokens"),
        new("POST", "/api/v1/tenants/{tenant}/tokens", "read", true, 403, 201, _ => "/api/v1/tenants/matrix/tokens", new { name = "ci", scopes = new[] { "read" }, expiresInDays = 1 }),
        new("DELETE", "/api/v1/tenants/{tenant}/tokens/{id:guid}", "read", true, 403, 204, w => $"/api/v1/tenants/matrix/tokens/{w.TokenId}"),
        new("GET", "/api/v1/tenants/{tenant}/lattices", "read", true, 200, 200, _ => "/api/v1/tenants/matrix/lattices"),
        new("POST", "/api/v1/tenants/{tenant}/lattices", "admin", true, 403, 201, _ => "/api/v1/tenants/matrix/lattices", new { name = "prod" }),
        new("GET", "/api/v1/tenants/{tenant}/lattices/{lattice}", "read", true, 200, 200, _ => "/api/v1/tenants/matrix/lattices/dev"),
        new("GET", "/api/v1/tenants/{tenant}/lattices/{lattice}/credentials", "admin", true, 403, 200, _ => "/api/v1/tenants/matrix/lattices/dev/credentials"),
        new("POST", "/api/v1/tenants/{tenant}/lattices/{lattice}/credentials", "admin", true, 403, 201, _ => "/api/v1/tenants/matrix/lattices/dev/credentials", new { name = "edge-1" }),
        new("DELETE", "/api/v1/tenants/{tenant}/lattices/{lattice}/credentials/{id:guid}", "admin", true, 403, 204, w => $"/api/v1/tenants/matrix/lattices/dev/credentials/{w.CredentialId}"),
        new("GET", "/api/v1/tenants/{tenant}/audit", "read", true, 200, 200, _ => "/api/v1/tenants/matrix/audit"),
        new("GET", "/api/v1/tenants/{tenant}/audit/verify", "read", true, 200, 200, _ => "/api/v1/tenants/matrix/audit/verify"),
        new("GET", "/api/v1/tenants/{tenant}/audit/export", "read", true, 200, 200, _ => "/api/v1/tenants/matrix/audit/export"),
        new("GET", "/api/v1/tenants/{tenant}/artifacts", "read", true, 200, 200, _ => "/api/v1/tenants/matrix/artifacts"),
        new("POST", "/api/v1/tenants/{tenant}/artifacts", "write", true, 403, 201, _ => "/api/v1/tenants/matrix/artifacts?name=made&tag=1", Content: EmptyModule),
        new("GET", "/api/v1/tenants/{tenant}/artifacts/{name}/{tag}", "read", true, 200, 200, _ => "/api/v1/tenants/matrix/artifacts/arranged/1"),
        new("GET", "/api/v1/tenants/{tenant}/artifacts/{name}/{tag}/content", "read", true, 200, 200, _ => "/api/v1/tenants/matrix/artifacts/arranged/1/content"),
        new("DELETE", "/api/v1/tenants/{tenant}/artifacts/{name}/{tag}", "write", true, 403, 204, _ => "/api/v1/tenants/matrix/artifacts/arranged/1"),
        new("GET", "/api/v1/tenants/{tenant}/providers", "read", true, 200, 200, _ => "/api/v1/tenants/matrix/providers"),
        new("POST", "/api/v1/tenants/{tenant}/providers", "write", true, 403, 201, _ => "/api/v1/tenants/matrix/providers", new { name = "made", imageRef = "ghcr.io/example/made:1", exports = new[] { "wasi:blobstore/blobstore" } }),
        new("DELETE", "/api/v1/tenants/{tenant}/providers/{name}", "write", true, 403, 204, _ => "/api/v1/tenants/matrix/providers/arranged"),
        // Applications: "arranged" has versions 1 and 2 with 1 deployed to dev; the Owner's calls run in this order.
        new("GET", Apps, "read", true, 200, 200, _ => "/api/v1/tenants/matrix/applications"),
        new("POST", Apps, "write", true, 403, 201, _ => "/api/v1/tenants/matrix/applications", Content: () => Yaml(Manifest("made", "1"))),
        new("GET", Apps + "/{app}", "read", true, 200, 200, _ => "/api/v1/tenants/matrix/applications/arranged"),
        new("GET", Apps + "/{app}/versions/{version}", "read", true, 200, 200, _ => "/api/v1/tenants/matrix/applications/arranged/versions/1"),
        new("GET", Apps + "/{app}/diff", "read", true, 200, 200, _ => "/api/v1/tenants/matrix/applications/arranged/diff?from=1&to=2"),
        new("GET", Apps + "/{app}/events", "read", true, 200, 200, _ => "/api/v1/tenants/matrix/applications/arranged/events"),
        new("GET", Apps + "/{app}/status", "read", true, 200, 200, _ => "/api/v1/tenants/matrix/applications/arranged/status"),
        new("POST", Apps + "/{app}/plan", "read", true, 200, 200, _ => "/api/v1/tenants/matrix/applications/arranged/plan", new { lattice = "dev" }),
        new("POST", Apps + "/{app}/deploy", "deploy", true, 403, 202, _ => "/api/v1/tenants/matrix/applications/arranged/deploy", new { lattice = "dev", version = "2" }),
        new("POST", Apps + "/{app}/rollback", "deploy", true, 403, 202, _ => "/api/v1/tenants/matrix/applications/arranged/rollback", new { lattice = "dev" }),
        new("POST", Apps + "/{app}/undeploy", "deploy", true, 403, 202, _ => "/api/v1/tenants/matrix/applications/arranged/undeploy", new { lattice = "dev" }),
        new("DELETE", Apps + "/{app}/versions/{version}", "write", true, 403, 204, _ => "/api/v1/tenants/matrix/applications/arranged/versions/2"),
        new("DELETE", Apps + "/{app}", "write", true, 403, 204, _ => "/api/v1/tenants/matrix/applications/doomed"),
        new("GET", "/api/v1/tenants/{tenant}/plan", "read", true, 200, 200, _ => "/api/v1/tenants/matrix/plan"),
        // Platform administration: a tenant Owner who is not a platform admin is refused (PlanAdminTests covers admins).
        new("GET", "/api/v1/admin/plans", "admin", false, 403, 403, _ => "/api/v1/admin/plans"),
        new("POST", "/api/v1/admin/plans", "admin", false, 403, 403, _ => "/api/v1/admin/plans", new { name = "matrix", monthlyPrice = 1, currency = "EUR", limits = Array.Empty<object>() }),
        new("GET", "/api/v1/admin/plans/{plan}", "admin", false, 403, 403, _ => "/api/v1/admin/plans/free"),
        new("PUT", "/api/v1/admin/plans/{plan}", "admin", false, 403, 403, _ => "/api/v1/admin/plans/free", new { monthlyPrice = 0, currency = "EUR", limits = Array.Empty<object>() }),
        new("POST", "/api/v1/admin/plans/{plan}/archive", "admin", false, 403, 403, _ => "/api/v1/admin/plans/team/archive"),
        new("DELETE", "/api/v1/admin/plans/{plan}", "admin", false, 403, 403, _ => "/api/v1/admin/plans/team"),
        new("GET", "/api/v1/admin/tenants/{tenant}/plan", "admin", false, 403, 403, _ => "/api/v1/admin/tenants/matrix/plan"),
        new("PUT", "/api/v1/admin/tenants/{tenant}/plan", "admin", false, 403, 403, _ => "/api/v1/admin/tenants/matrix/plan", new { plan = "team" }),
        new("PUT", "/api/v1/admin/tenants/{tenant}/plan/overrides/{unit}", "admin", false, 403, 403, _ => "/api/v1/admin/tenants/matrix/plan/overrides/applications", new { included = 1, reason = "matrix" }),
        new("DELETE", "/api/v1/admin/tenants/{tenant}/plan/overrides/{unit}", "admin", false, 403, 403, _ => "/api/v1/admin/tenants/matrix/plan/overrides/applications"),
        // Usage and invoices (the matrix tenant has none: an id answers 404 to members; InvoiceTests reads real ones).
        new("GET", "/api/v1/tenants/{tenant}/usage", "read", true, 200, 200, _ => "/api/v1/tenants/matrix/usage"),
        new("GET", "/api/v1/tenants/{tenant}/invoices", "read", true, 200, 200, _ => "/api/v1/tenants/matrix/invoices"),
        new("GET", "/api/v1/tenants/{tenant}/invoices/{id:guid}", "read", true, 404, 404, _ => $"/api/v1/tenants/matrix/invoices/{Guid.Empty}"),
        new("GET", "/api/v1/tenants/{tenant}/invoices/{id:guid}/html", "read", true, 404, 404, _ => $"/api/v1/tenants/matrix/invoices/{Guid.Empty}/html"),
        new("GET", "/api/v1/tenants/{tenant}/invoices/{id:guid}/csv", "read", true, 404, 404, _ => $"/api/v1/tenants/matrix/invoices/{Guid.Empty}/csv"),
        new("POST", "/api/v1/admin/tenants/{tenant}/invoices/close", "admin", false, 403, 403, _ => "/api/v1/admin/tenants/matrix/invoices/close", new { month = "2026-01" }),
        new("POST", "/api/v1/admin/tenants/{tenant}/invoices/{id:guid}/status", "admin", false, 403, 403, _ => $"/api/v1/admin/tenants/matrix/invoices/{Guid.Empty}/status", new { status = "issued" }),
        new("GET", "/api/v1/admin/usage", "admin", false, 403, 403, _ => "/api/v1/admin/usage"),
        // Topology: the lattice has no hosts, so a host's routes answer 404 to those allowed to ask; the event stream is bounded to end.
        new("GET", Lattice + "/topology", "read", true, 200, 200, _ => "/api/v1/tenants/matrix/lattices/dev/topology"),
        new("GET", Lattice + "/hosts/{hostId}", "read", true, 404, 404, _ => "/api/v1/tenants/matrix/lattices/dev/hosts/NNOHOST"),
        new("PUT", Lattice + "/hosts/{hostId}/labels/{key}", "deploy", true, 403, 404, _ => "/api/v1/tenants/matrix/lattices/dev/hosts/NNOHOST/labels/zone", new { value = "eu" }),
        new("DELETE", Lattice + "/hosts/{hostId}/labels/{key}", "deploy", true, 403, 404, _ => "/api/v1/tenants/matrix/lattices/dev/hosts/NNOHOST/labels/zone"),
        new("POST", Lattice + "/hosts/{hostId}/components/{componentId}/scale", "deploy", true, 403, 404, _ => "/api/v1/tenants/matrix/lattices/dev/hosts/NNOHOST/components/hello/scale", new { count = 1 }),
        new("DELETE", Lattice + "/hosts/{hostId}/providers/{providerId}", "deploy", true, 403, 404, _ => "/api/v1/tenants/matrix/lattices/dev/hosts/NNOHOST/providers/http"),
        new("GET", Lattice + "/events", "read", true, 200, 200, _ => "/api/v1/tenants/matrix/lattices/dev/events?seconds=1"),
    ];

    [Fact]
    public void Every_api_endpoint_is_in_the_matrix()
    {
        var mapped = portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToHashSet();
        var covered = Matrix.Select(c => $"{c.Method} {c.Pattern}").ToHashSet();

        Assert.True(mapped.SetEquals(covered),
            $"Not in the matrix: {string.Join(", ", mapped.Except(covered))}. In the matrix but not mapped: {string.Join(", ", covered.Except(mapped))}.");
    }

    [Fact]
    public async Task Each_caller_gets_what_the_matrix_says()
    {
        var scenario = new PortalScenario(portal);
        var owner = await scenario.UserAsync("matrix-owner@example.test");
        var viewer = await scenario.UserAsync("matrix-viewer@example.test");
        var member = await scenario.UserAsync("matrix-member@example.test");
        var stranger = await scenario.UserAsync("matrix-stranger@example.test");
        await scenario.TenantAsync(owner, "matrix");
        await scenario.TenantAsync(stranger, "elsewhere");
        await scenario.AddMemberAsync("matrix", viewer, TenantRole.Viewer);
        await scenario.AddMemberAsync("matrix", member, TenantRole.Developer);

        string[] all = ["read", "write", "deploy", "admin"];
        var ownerToken = await scenario.TokenAsync("matrix", owner, all);
        var viewerToken = await scenario.TokenAsync("matrix", viewer, all);
        var strangerToken = await scenario.TokenAsync("elsewhere", stranger, all);
        var ownerClient = scenario.Client(ownerToken);
        await ownerClient.PostAsJsonAsync("/api/v1/tenants/matrix/lattices", new { name = "dev" }, Ct);
        var invitation = await (await ownerClient.PostAsJsonAsync("/api/v1/tenants/matrix/invitations", new { email = "pending@example.test", role = "Developer" }, Ct))
            .Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        var spareToken = await (await ownerClient.PostAsJsonAsync("/api/v1/tenants/matrix/tokens", new { name = "spare", scopes = new[] { "read" } }, Ct))
            .Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        var credential = await (await ownerClient.PostAsJsonAsync("/api/v1/tenants/matrix/lattices/dev/credentials", new { name = "spare" }, Ct))
            .Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        await ownerClient.PostAsync("/api/v1/tenants/matrix/artifacts?name=arranged&tag=1", EmptyModule(), Ct);
        await ownerClient.PostAsJsonAsync("/api/v1/tenants/matrix/providers", new { name = "arranged", imageRef = "ghcr.io/example/arranged:1", exports = new[] { "wasi:blobstore/blobstore" } }, Ct);
        foreach (var (app, version) in new[] { ("arranged", "1"), ("arranged", "2"), ("doomed", "1") })
        {
            (await ownerClient.PostAsync("/api/v1/tenants/matrix/applications", Yaml(Manifest(app, version)), Ct)).EnsureSuccessStatusCode();
        }

        (await ownerClient.PostAsJsonAsync("/api/v1/tenants/matrix/applications/arranged/deploy", new { lattice = "dev", version = "1" }, Ct)).EnsureSuccessStatusCode();
        var world = new World(
            member.Id.ToString(),
            invitation.GetProperty("invitation").GetProperty("id").GetString()!,
            spareToken.GetProperty("metadata").GetProperty("id").GetString()!,
            credential.GetProperty("credential").GetProperty("id").GetString()!);

        var failures = new List<string>();
        async Task Expect(Case c, string who, HttpClient client, int expected)
        {
            var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Path(world)) { Content = c.Content?.Invoke() ?? (c.Body is null ? null : JsonContent.Create(c.Body)) };
            var response = await client.SendAsync(request, Ct);
            if ((int)response.StatusCode != expected) failures.Add($"{c.Method} {c.Pattern} as {who}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        }

        foreach (var c in Matrix)
        {
            await Expect(c, "anonymous", scenario.Client(), 401);
            if (c.Scope is not null)
            {
                var lacking = await scenario.TokenAsync("matrix", owner, all.Where(s => s != c.Scope).ToArray());
                await Expect(c, $"a token without '{c.Scope}'", scenario.Client(lacking), 403);
            }

            if (c.TenantScoped) await Expect(c, "a member of another tenant", scenario.Client(strangerToken), 404);
            if (c.TenantScoped) await Expect(c, "a Viewer", scenario.Client(viewerToken), c.Viewer);
        }

        // Owners last: their successful calls change state the other callers' cases rely on.
        foreach (var c in Matrix.Where(c => c.Pattern != "/api/v1/tenants" || c.Method != "POST"))
        {
            await Expect(c, "an Owner", ownerClient, c.Owner);
        }

        await Expect(Matrix.Single(c => c is { Method: "POST", Pattern: "/api/v1/tenants" }), "an Owner", ownerClient, 201);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
