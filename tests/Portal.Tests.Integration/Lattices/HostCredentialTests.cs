using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Portal.Data.Tenants;
using Portal.Testing;
using Portal.Testing.Processes;

namespace Portal.Tests.Integration.Lattices;

/// <summary>
/// Host credentials against a nats-server that loads the accounts file the portal writes: a
/// host of tenant A is refused on tenant B's subjects, and a revoked credential is cut off.
/// </summary>
public sealed class HostCredentialTests(PortalServers servers) : IAsyncLifetime
{
    private const string PortalPassword = "portal-test-password";
    private NatsServer _nats = null!;
    private CredentialPortal _portal = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The portal wired to this test's nats-server, managing its accounts.</summary>
    private sealed class CredentialPortal(PortalServers servers, NatsServer nats) : PortalWebFactory(servers)
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
        // The server starts with only the portal's account, exactly what the portal writes for an empty database.
        _nats = await NatsServer.StartAsync(config: """
            include "accounts.conf"
            pid_file: "nats.pid"
            """, prepare: d => File.WriteAllText(Path.Combine(d, "accounts.conf"),
                Portal.Api.Lattices.Credentials.NatsAccountsRenderer.Render("portal", PortalPassword, [])), cancellationToken: Ct);
        _portal = new CredentialPortal(servers, _nats);
        await _portal.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _portal.DisposeAsync();
        await _nats.DisposeAsync();
    }

    private async Task<JsonElement> IssueAsync(string slug)
    {
        var scenario = new PortalScenario(_portal);
        var owner = await scenario.UserAsync($"{slug}-owner@example.test");
        await scenario.TenantAsync(owner, slug);
        var client = scenario.Client(await scenario.TokenAsync(slug, owner, "read", "admin"));
        await client.PostAsJsonAsync($"/api/v1/tenants/{slug}/lattices", new { name = "dev" }, Ct);
        var response = await client.PostAsJsonAsync($"/api/v1/tenants/{slug}/lattices/dev/credentials", new { name = "edge" }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var issued = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var command = issued.GetProperty("joinCommand").GetString()!;
        Assert.Contains($"--lattice {slug}-dev", command);
        Assert.Contains(issued.GetProperty("password").GetString()!, command);
        return issued;
    }

    [Fact]
    public async Task A_host_of_tenant_A_is_refused_on_tenant_B_subjects_and_allowed_on_its_own()
    {
        var a = await IssueAsync("cred-a");
        await IssueAsync("cred-b");
        await using var host = await ConnectOnceReloadedAsync(a.GetProperty("credential").GetProperty("natsUser").GetString()!, a.GetProperty("password").GetString()!);

        Assert.Null(await host.SendAsync("SUB wasmbus.ctl.v1.cred-a-dev.> 1"));
        Assert.Null(await host.SendAsync("PUB wasmbus.evt.cred-a-dev.host_heartbeat 2\r\n{}"));
        Assert.Contains("Permissions Violation", await host.SendAsync("SUB wasmbus.ctl.v1.cred-b-dev.> 2"));
        Assert.Contains("Permissions Violation", await host.SendAsync("PUB wasmbus.ctl.v1.cred-b-dev.host.ping 2\r\n{}"));
        Assert.Contains("Permissions Violation", await host.SendAsync("SUB $KV.LATTICEDATA_cred-b-dev.> 3"));
        // Components' key-value data (the built-in provider) is per lattice as well.
        Assert.Null(await host.SendAsync("PUB $KV.KEYVALUE_cred-a-dev.default.hits 1\r\n1"));
        Assert.Contains("Permissions Violation", await host.SendAsync("PUB $KV.KEYVALUE_cred-b-dev.default.hits 1\r\n1"));
    }

    [Fact]
    public async Task Wrong_passwords_are_refused_and_a_revoked_credential_is_cut_off()
    {
        var issued = await IssueAsync("cred-revoke");
        var user = issued.GetProperty("credential").GetProperty("natsUser").GetString()!;
        await Assert.ThrowsAsync<IOException>(() => RawNats.ConnectAsync(_nats.Port, user, "not-the-password"));
        await using var host = await ConnectOnceReloadedAsync(user, issued.GetProperty("password").GetString()!);

        var scenario = new PortalScenario(_portal);
        var owner = await scenario.UserAsync("cred-revoke-owner@example.test");
        var client = scenario.Client(await scenario.TokenAsync("cred-revoke", owner, "admin"));
        var revoke = await client.DeleteAsync($"/api/v1/tenants/cred-revoke/lattices/dev/credentials/{issued.GetProperty("credential").GetProperty("id").GetString()}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        Assert.True(await host.ClosedWithinAsync(TimeSpan.FromSeconds(20)), "the server kept the revoked host connected");
        await Assert.ThrowsAsync<IOException>(() => RawNats.ConnectAsync(_nats.Port, user, issued.GetProperty("password").GetString()!));
    }

    /// <summary>
    /// Connects as a freshly issued user. Issuing answers once the accounts file is written and
    /// nats-server is signalled; the server applies the reload moments later, so a connection made
    /// at once can still meet the old accounts: retry until it is accepted.
    /// </summary>
    private async Task<RawNats> ConnectOnceReloadedAsync(string user, string password)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                return await RawNats.ConnectAsync(_nats.Port, user, password);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, Ct);
            }
        }
    }

    /// <summary>
    /// A bare NATS protocol connection: what any host implementation sends, so the server's own
    /// answers (+OK / -ERR) are observed directly.
    /// </summary>
    private sealed class RawNats : IAsyncDisposable
    {
        private readonly TcpClient _tcp;
        private readonly NetworkStream _stream;
        private readonly StreamReader _reader;

        private RawNats(TcpClient tcp)
        {
            _tcp = tcp;
            _stream = tcp.GetStream();
            _reader = new StreamReader(_stream, Encoding.ASCII);
        }

        public static async Task<RawNats> ConnectAsync(int port, string user, string password)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", port);
            var nats = new RawNats(tcp);
            await nats._reader.ReadLineAsync(); // INFO
            var connect = JsonSerializer.Serialize(new { verbose = true, pedantic = false, user, pass = password, protocol = 1 });
            var error = await nats.SendAsync("CONNECT " + connect);
            if (error is not null)
            {
                await nats.DisposeAsync();
                throw new IOException(error);
            }

            return nats;
        }

        /// <summary>Sends a protocol line; null when the server acknowledged it, else its -ERR text.</summary>
        public async Task<string?> SendAsync(string command)
        {
            await _stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (true)
            {
                var line = await _reader.ReadLineAsync(timeout.Token) ?? throw new IOException("connection closed");
                if (line == "+OK") return null;
                if (line.StartsWith("-ERR", StringComparison.Ordinal)) return line;
                if (line == "PING") await _stream.WriteAsync("PONG\r\n"u8.ToArray());
            }
        }

        public async Task<bool> ClosedWithinAsync(TimeSpan window)
        {
            using var timeout = new CancellationTokenSource(window);
            try
            {
                while (true)
                {
                    var line = await _reader.ReadLineAsync(timeout.Token);
                    if (line is null || line.Contains("Authorization Violation", StringComparison.OrdinalIgnoreCase)) return true;
                    if (line == "PING") await _stream.WriteAsync("PONG\r\n"u8.ToArray(), timeout.Token);
                }
            }
            catch (OperationCanceledException) { return false; }
            catch (IOException) { return true; }
        }

        public ValueTask DisposeAsync()
        {
            _tcp.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
