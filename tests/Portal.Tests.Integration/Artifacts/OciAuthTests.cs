using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Data.Tenants;
using Portal.Testing;
using Portal.Testing.Actors;
using static Portal.Tests.Integration.Artifacts.OciTestClient;

namespace Portal.Tests.Integration.Artifacts;

/// <summary>
/// Who may pull and push what over /v2/: personal access tokens (Basic password or Bearer) by role
/// and scope, host credentials (pull of their own tenant only), nobody across tenants (404
/// NAME_UNKNOWN), and 401 with a Basic challenge without valid credentials.
/// </summary>
public sealed class OciAuthTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Credentials(string NatsUser, string Password, string Id);

    private async Task<Credentials> IssueHostCredentialAsync(HttpClient admin, string slug, string lattice)
    {
        var created = await admin.PostAsJsonAsync($"/api/v1/tenants/{slug}/lattices", new { name = lattice }, Ct);
        Assert.True(created.IsSuccessStatusCode || created.StatusCode == HttpStatusCode.Conflict, await created.Content.ReadAsStringAsync(Ct));
        var issued = await admin.PostAsJsonAsync($"/api/v1/tenants/{slug}/lattices/{lattice}/credentials", new { name = "edge" }, Ct);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var body = await issued.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var credential = body.GetProperty("credential");
        return new Credentials(credential.GetProperty("natsUser").GetString()!, body.GetProperty("password").GetString()!, credential.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task The_registry_answers_each_caller_as_its_role_scope_and_tenant_allow()
    {
        var scenario = new PortalScenario(portal);
        var ownerA = await scenario.UserAsync("owner@oci-auth-a.test");
        var ownerB = await scenario.UserAsync("owner@oci-auth-b.test");
        var viewer = await scenario.UserAsync("viewer@oci-auth-a.test");
        await scenario.TenantAsync(ownerA, "oci-auth-a");
        await scenario.TenantAsync(ownerB, "oci-auth-b");
        await scenario.AddMemberAsync("oci-auth-a", viewer, TenantRole.Viewer);

        var pushA = await scenario.TokenAsync("oci-auth-a", ownerA, "read", "write");
        var readA = await scenario.TokenAsync("oci-auth-a", ownerA, "read");
        var writeOnlyA = await scenario.TokenAsync("oci-auth-a", ownerA, "write");
        var viewerA = await scenario.TokenAsync("oci-auth-a", viewer, "read", "write");
        var pushB = await scenario.TokenAsync("oci-auth-b", ownerB, "read", "write");
        var hostA = await IssueHostCredentialAsync(scenario.Client(await scenario.TokenAsync("oci-auth-a", ownerA, "read", "admin")), "oci-auth-a", "dev");
        var revokedA = await IssueHostCredentialAsync(scenario.Client(await scenario.TokenAsync("oci-auth-a", ownerA, "read", "admin")), "oci-auth-a", "dev");
        var hostB = await IssueHostCredentialAsync(scenario.Client(await scenario.TokenAsync("oci-auth-b", ownerB, "read", "admin")), "oci-auth-b", "dev");
        var revoke = await scenario.Client(await scenario.TokenAsync("oci-auth-a", ownerA, "admin")).DeleteAsync($"/api/v1/tenants/oci-auth-a/lattices/dev/credentials/{revokedA.Id}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        var wasm = await ActorBuilder.CgiModuleAsync("hello", Ct);
        var manifestA = await new OciTestClient(portal.CreateClient(), Basic("ci", pushA)).PushArtifactAsync("oci-auth-a/hello", "1", wasm);
        var layer = Digest(wasm);
        await new OciTestClient(portal.CreateClient(), Bearer(pushB)).PushArtifactAsync("oci-auth-b/other", "1", await ActorBuilder.CgiModuleAsync("echo", Ct));

        var pullManifest = (HttpMethod.Get, "/v2/oci-auth-a/hello/manifests/1");
        var pullBlob = (HttpMethod.Get, $"/v2/oci-auth-a/hello/blobs/{layer}");
        var tags = (HttpMethod.Get, "/v2/oci-auth-a/hello/tags/list");
        var push = (HttpMethod.Post, "/v2/oci-auth-a/hello/blobs/uploads/");
        var delete = (HttpMethod.Delete, $"/v2/oci-auth-a/hello/manifests/{manifestA}");
        var root = (HttpMethod.Get, "/v2/");
        AuthenticationHeaderValue? anonymous = null;

        var matrix = new (string Who, AuthenticationHeaderValue? Auth, (HttpMethod Method, string Path) Request, HttpStatusCode Status, string? Code)[]
        {
            ("anonymous", anonymous, root, HttpStatusCode.Unauthorized, "UNAUTHORIZED"),
            ("anonymous", anonymous, pullManifest, HttpStatusCode.Unauthorized, "UNAUTHORIZED"),
            ("anonymous", anonymous, push, HttpStatusCode.Unauthorized, "UNAUTHORIZED"),
            ("wrong host password", Basic(hostA.NatsUser, "not-the-password"), root, HttpStatusCode.Unauthorized, "UNAUTHORIZED"),
            ("unknown user", Basic("nobody", "secret"), pullManifest, HttpStatusCode.Unauthorized, "UNAUTHORIZED"),
            ("forged token", Bearer("lpat_" + new string('a', 32) + "_nope"), pullManifest, HttpStatusCode.Unauthorized, "UNAUTHORIZED"),
            ("revoked host credential", Basic(revokedA.NatsUser, revokedA.Password), pullManifest, HttpStatusCode.Unauthorized, "UNAUTHORIZED"),
            ("push token (Basic)", Basic("anything", pushA), root, HttpStatusCode.OK, null),
            ("push token (Bearer)", Bearer(pushA), pullManifest, HttpStatusCode.OK, null),
            ("push token", Basic("x", pushA), push, HttpStatusCode.Accepted, null),
            ("push token", Basic("x", pushA), tags, HttpStatusCode.OK, null),
            ("read token", Basic("x", readA), pullBlob, HttpStatusCode.OK, null),
            ("read token", Basic("x", readA), push, HttpStatusCode.Forbidden, "DENIED"),
            ("read token", Basic("x", readA), delete, HttpStatusCode.Forbidden, "DENIED"),
            ("write-only token", Basic("x", writeOnlyA), pullManifest, HttpStatusCode.Forbidden, "DENIED"),
            ("viewer with a write token", Basic("x", viewerA), pullManifest, HttpStatusCode.OK, null),
            ("viewer with a write token", Basic("x", viewerA), push, HttpStatusCode.Forbidden, "DENIED"),
            ("host credential of A", Basic(hostA.NatsUser, hostA.Password), root, HttpStatusCode.OK, null),
            ("host credential of A", Basic(hostA.NatsUser, hostA.Password), pullManifest, HttpStatusCode.OK, null),
            ("host credential of A", Basic(hostA.NatsUser, hostA.Password), pullBlob, HttpStatusCode.OK, null),
            ("host credential of A", Basic(hostA.NatsUser, hostA.Password), push, HttpStatusCode.Forbidden, "DENIED"),
            ("host credential of A", Basic(hostA.NatsUser, hostA.Password), (HttpMethod.Get, "/v2/oci-auth-b/other/manifests/1"), HttpStatusCode.NotFound, "NAME_UNKNOWN"),
            ("host credential of B", Basic(hostB.NatsUser, hostB.Password), pullManifest, HttpStatusCode.NotFound, "NAME_UNKNOWN"),
            ("host credential of B", Basic(hostB.NatsUser, hostB.Password), pullBlob, HttpStatusCode.NotFound, "NAME_UNKNOWN"),
            ("token of B", Basic("x", pushB), pullManifest, HttpStatusCode.NotFound, "NAME_UNKNOWN"),
            ("token of B", Basic("x", pushB), (HttpMethod.Get, "/v2/oci-auth-a/nope/manifests/1"), HttpStatusCode.NotFound, "NAME_UNKNOWN"),
            ("token of B", Basic("x", pushB), pullBlob, HttpStatusCode.NotFound, "NAME_UNKNOWN"),
            ("token of B", Basic("x", pushB), tags, HttpStatusCode.NotFound, "NAME_UNKNOWN"),
            ("token of B", Basic("x", pushB), push, HttpStatusCode.NotFound, "NAME_UNKNOWN"),
            ("token of B", Basic("x", pushB), delete, HttpStatusCode.NotFound, "NAME_UNKNOWN"),
            // A's blob is not reachable through B's own repositories either: blobs belong to one tenant.
            ("token of B", Basic("x", pushB), (HttpMethod.Get, $"/v2/oci-auth-b/other/blobs/{layer}"), HttpStatusCode.NotFound, "BLOB_UNKNOWN"),
        };

        var failures = new List<string>();
        foreach (var (who, auth, (method, path), status, code) in matrix)
        {
            var response = await new OciTestClient(portal.CreateClient(), auth).SendAsync(method, path);
            var actualCode = response.IsSuccessStatusCode ? null : await ErrorCodeAsync(response);
            if (response.StatusCode != status || actualCode != code)
            {
                failures.Add($"{who} {method} {path}: expected {(int)status} {code}, got {(int)response.StatusCode} {actualCode}");
            }

            if (status == HttpStatusCode.Unauthorized && response.Headers.WwwAuthenticate.ToString() != "Basic realm=\"Lattice Portal\"")
            {
                failures.Add($"{who} {method} {path}: 401 without the Basic challenge (got '{response.Headers.WwwAuthenticate}')");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(HttpStatusCode.OK, (await new OciTestClient(portal.CreateClient(), Basic("x", pushA)).SendAsync(HttpMethod.Get, "/v2/oci-auth-a/hello/manifests/1")).StatusCode);
    }
}
