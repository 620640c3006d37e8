using Portal.Lattice.Nats;
using Portal.Testing.Processes;

namespace Portal.Tests.Integration.Lattice.Nats;

/// <summary>CONNECT with user/password and with a token, against servers that require them.</summary>
public sealed class NatsAuthTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task User_and_password_are_accepted_and_wrong_ones_rejected()
    {
        await using var server = await NatsServer.StartAsync("authorization { user: alice, password: s3cret }", Ct);

        await using (var good = new NatsConnection(new NatsOpts { Url = server.Url, User = "alice", Password = "s3cret" }))
        {
            await good.ConnectAsync(Ct);
            Assert.Equal(NatsConnectionState.Open, good.ConnectionState);
            Assert.True(good.ServerInfo!.AuthRequired);
        }

        await using var bad = new NatsConnection(new NatsOpts { Url = server.Url, User = "alice", Password = "wrong" });
        var error = await Assert.ThrowsAsync<NatsServerException>(() => bad.ConnectAsync(Ct));
        Assert.Contains("Authorization", error.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Token_is_accepted_from_options_and_from_the_url()
    {
        await using var server = await NatsServer.StartAsync("authorization { token: t0ken }", Ct);

        await using var fromOpts = new NatsConnection(new NatsOpts { Url = server.Url, Token = "t0ken" });
        await fromOpts.ConnectAsync(Ct);
        await using var fromUrl = new NatsConnection(new NatsOpts { Url = $"nats://t0ken@127.0.0.1:{server.Port}" });
        await fromUrl.ConnectAsync(Ct);

        Assert.Equal(NatsConnectionState.Open, fromOpts.ConnectionState);
        Assert.Equal(NatsConnectionState.Open, fromUrl.ConnectionState);
        await using var none = new NatsConnection(new NatsOpts { Url = server.Url });
        await Assert.ThrowsAsync<NatsServerException>(() => none.ConnectAsync(Ct));
    }
}
