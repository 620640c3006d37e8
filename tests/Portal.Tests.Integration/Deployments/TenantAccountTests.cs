using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Api.Deployments.Runtime;
using Portal.Api.Lattices.Credentials;
using Portal.Testing;

namespace Portal.Tests.Integration.Deployments;

/// <summary>The portal's way into a tenant's NATS account exists as soon as the tenant has a lattice, before any host credential.</summary>
public sealed class TenantAccountTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_tenant_with_a_lattice_but_no_host_credential_gets_an_account_with_the_portal_user()
    {
        var scenario = new PortalScenario(portal);
        var owner = await scenario.UserAsync("owner@acct.test");
        await scenario.TenantAsync(owner, "acct");
        var api = scenario.Client(await scenario.TokenAsync("acct", owner, "read", "write", "admin"));
        (await api.PostAsJsonAsync("/api/v1/tenants/acct/lattices", new { name = "dev" }, Ct)).EnsureSuccessStatusCode();

        await portal.WithScopeAsync(async sp =>
        {
            await sp.GetRequiredService<NatsAuthConfigurator>().ApplyAsync(Ct);
            return true;
        });
        var text = await File.ReadAllTextAsync(portal.AccountsFile, Ct);
        Assert.Contains("TENANT_ACCT {", text);
        Assert.Contains("user: \"portal_acct\"", text);

        // With accounts on, the reconciler joins that account as portal_{slug} with the derived password.
        var opts = portal.Services.GetRequiredService<TenantNatsConnections>().OptsFor("acct");
        Assert.Equal("portal_acct", opts.User);
        Assert.Equal(NatsAuthConfigurator.ServicePassword("", "acct"), opts.Password);
    }
}
