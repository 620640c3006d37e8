using Portal.Host.Configuration;
using Portal.Host.Identity;

namespace Portal.Tests.Integration.Host.Lattice;

public sealed class HostIdentityTests
{
    [Fact]
    public void A_seed_gives_the_same_nkey_server_id_every_time_and_no_seed_a_fresh_one()
    {
        var first = HostIdentity.Create(null);
        var again = HostIdentity.Create(first.Seed);

        Assert.Equal(first.HostId, again.HostId);
        Assert.StartsWith("SN", first.Seed);
        Assert.Equal(56, first.HostId.Length);
        Assert.StartsWith("N", first.HostId);
        Assert.True(NKeyEncoding.IsValidPublic(first.HostId, NKeyEncoding.ServerPrefix));
        Assert.NotEqual(first.HostId, HostIdentity.Create(null).HostId);
        Assert.Equal(HostIdentity.Create("my secret").HostId, HostIdentity.Create("my secret").HostId);
        // A known nkeys fixture: the CRC and base32 match what the nkeys libraries produce.
        Assert.Equal(0x31C3, NKeyEncoding.Crc16("123456789"u8));
    }

    [Fact]
    public void Flags_win_over_wasmcloud_environment_variables()
    {
        var env = new Dictionary<string, string>
        {
            ["WASMCLOUD_NATS_HOST"] = "nats.example", ["WASMCLOUD_NATS_PORT"] = "4333", ["WASMCLOUD_LATTICE"] = "env-lattice",
            ["WASMCLOUD_LABEL_zone"] = "eu", ["WASMCLOUD_ALLOW_FILE_LOAD"] = "true", ["WASMCLOUD_HEARTBEAT_INTERVAL"] = "7",
            ["WASMCLOUD_NATS_USER"] = "u", ["WASMCLOUD_NATS_PASSWORD"] = "p",
        };
        var o = HostCommandLine.Parse(["--lattice", "flag-lattice", "-l", "zone=us", "--label=tier=gold", "--ctl-topic-prefix", "custom.ctl"], env);

        Assert.Equal(("nats.example", 4333, "flag-lattice", "custom.ctl"), (o.NatsHost, o.NatsPort, o.Lattice, o.CtlTopicPrefix));
        Assert.Equal(new Dictionary<string, string> { ["zone"] = "us", ["tier"] = "gold" }, o.Labels);
        Assert.True(o.AllowFileLoad);
        Assert.Equal(TimeSpan.FromSeconds(7), o.HeartbeatInterval);
        Assert.Equal(("u", "p"), (o.NatsUser, o.NatsPassword));
        Assert.Throws<ArgumentException>(() => HostCommandLine.Parse(["-l", "hostcore.os=x"], new Dictionary<string, string>()));
        Assert.Throws<ArgumentException>(() => HostCommandLine.Parse(["--bogus"], new Dictionary<string, string>()));
    }
}
