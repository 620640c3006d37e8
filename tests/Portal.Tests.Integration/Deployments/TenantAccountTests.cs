using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Portal.Api.Deployments.Runtime;
using Portal.Api.Lattices.Credentials;
using Portal.Testing;
using Portal.Testing.Processes;

namespace Portal.Tests.Integration.Deployments;

/// <summary>
/// With nats accounts on, the portal reaches a tenant's lattices from inside the tenant's account as
/// <c>portal_{slug}</c>, and that account exists as soon as the tenant has a lattice, before any host
/// credential (on a nats-server that enforces the accounts file).
/// </summary>
public sealed class TenantAccountTests(PortalServers servers) : IAsyncLifetime
{
    private const string PortalPassword = "portal-test-password";
    private NatsServer _nats = null!;
    private AccountsPortal _portal = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class AccountsPortal(PortalServers servers, NatsServer nats) : PortalWebFactory(servers)
    {
        public override string AccountsFile => Path.Combine(nats.Directory, "accounts.conf");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Nats:Url", nats.Url);
            builder.UseSetting("Nats:User", "portal");
            builder.UseSetting("Nats:Password", PortalPassword);
            builder.UseSetting("Nats:PidFile", Path.Combine(nats.Directory, "nats.pid"));
        }
    }

    public async ValueTask InitializeAsync()
    {
        // The server starts knowing only the portal's own account, as for an empty database.
        _nats = await NatsServer.StartAsync(config: """
            include "accounts.conf"
            pid_file: "nats.pid"
            """, prepare: d => File.WriteAllText(Path.Combine(d, "accounts.conf"), NatsAccountsRenderer.Render("portal", PortalPassword, [])), cancellationToken: Ct);
        _portal = new AccountsPortal(servers, _nats);
        await _portal.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _portal.DisposeAsync();
        await _nats.DisposeAsync();
    }

    [Fact]
    public async Task A_tenant_with_a_lattice_but_no_host_credential_is_reached_through_its_own_account()
    {
        var scenario = new PortalScenario(_portal);
        var owner = await scenario.UserAsync("owner@acct.test");
        await scenario.TenantAsync(owner, "acct");
        var api = scenario.Client(await scenario.TokenAsync("acct", owner, "read", "write", "admin"));
        (await api.PostAsJsonAsync("/api/v1/tenants/acct/lattices", new { name = "dev" }, Ct)).EnsureSuccessStatusCode();

        // Creating a lattice does not rewrite the accounts file: the first connection finds no
        // account, has the file rewritten (now with the tenant's account) and joins it.
        Assert.DoesNotContain("TENANT_ACCT", await File.ReadAllTextAsync(_portal.AccountsFile, Ct));
        var observer = await _portal.Services.GetRequiredService<LatticeRuntime>().GetObserverAsync("acct-dev", Ct);
        Assert.Empty(observer.Snapshot.Hosts);
        var text = await File.ReadAllTextAsync(_portal.AccountsFile, Ct);
        Assert.Contains("TENANT_ACCT {", text);
        Assert.Contains("user: \"portal_acct\"", text);

        var connections = _portal.Services.GetRequiredService<TenantNatsConnections>();
        var connection = await connections.ForTenantAsync("acct", Ct);
        Assert.Equal("portal_acct", connection.Opts.User);
        Assert.Equal(NatsAuthConfigurator.ServicePassword(PortalPassword, "acct"), connection.Opts.Password);
    }
}
