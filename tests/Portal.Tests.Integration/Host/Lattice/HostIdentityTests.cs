using System.Text.Json;
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

    // Fixed vectors, computed once with nkeys.js 1.1.0 (the reference implementation):
    // Codec.encodeSeed(Prefix.Server, raw) then fromSeed(seed).getPublicKey() and sign("hello").
    // The first seed's raw bytes are RFC 8032's test 1 secret key, so its public key decodes to that
    // test's public key (d75a9801…511a) as well; the second is a createServer() pair.
    [Theory]
    [InlineData("SNAJ2YNRTXX72WTAXKCEV5ES5QWMIRCJYVUXWMTJDFYDXLADDSXH6YFXBM", "NDLVVGABQKYQVN6VJP7NHSLEA45A5YLS6PNKMIZFV4BBU2HXA5IRUM4A",
        "511ca497c4d4270b098b1afd5ae4e3b951a5da2c9da6e9c0528f5761883676e7df6e4c0f0e1b5a0a4444f4298b1882dd822fb1133cbd49abfb996c87cd5b8506")]
    [InlineData("SNAPXZ63CV7IPTUVDA7JLJXNC3O4DEV47RQHEI6YWF4DSHSESJOSF4UWFQ", "NAGQWG7POJTM4DIJ5OLPOO64FUFPMTLG53BBCOG4IVQ45VKA6KFQHFMB", null)]
    public void A_seed_gives_the_public_key_the_nkeys_libraries_give(string seed, string publicKey, string? helloSignature)
    {
        var identity = HostIdentity.Create(seed);

        Assert.Equal(publicKey, identity.HostId);
        Assert.Equal(seed, identity.Seed);
        if (helloSignature is not null) Assert.Equal(helloSignature, Convert.ToHexStringLower(identity.Sign("hello"u8)));
    }

    [Fact]
    public void The_rfc8032_test_key_is_what_the_first_vector_encodes()
    {
        var secret = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        var expected = Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

        Assert.Equal(expected, Ed25519Keys.PublicKey(secret));
        Assert.Equal("NDLVVGABQKYQVN6VJP7NHSLEA45A5YLS6PNKMIZFV4BBU2HXA5IRUM4A", NKeyEncoding.EncodePublic(NKeyEncoding.ServerPrefix, expected));
        Assert.Equal(secret, NKeyEncoding.TryDecodeSeed("SNAJ2YNRTXX72WTAXKCEV5ES5QWMIRCJYVUXWMTJDFYDXLADDSXH6YFXBM"));
    }

    [Fact]
    public async Task Fresh_pairs_from_nkeys_js_give_the_same_host_ids_and_signatures()
    {
        var (exit, output) = await ExternalScripts.NodeAsync("nkeys-pairs.mjs", ["5", "host signs this"], TestContext.Current.CancellationToken);
        Assert.True(exit == 0, output);

        var pairs = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(5, pairs.Count);
        foreach (var pair in pairs)
        {
            var identity = HostIdentity.Create(pair.GetProperty("seed").GetString());
            Assert.Equal(pair.GetProperty("public").GetString(), identity.HostId);
            Assert.Equal(pair.GetProperty("signature").GetString(), Convert.ToHexStringLower(identity.Sign("host signs this"u8)));
        }
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
