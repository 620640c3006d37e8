using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Portal.Host.Identity;
using Portal.Lattice.Control;
using Portal.Testing.Actors;
using Portal.Testing.Processes;

namespace Portal.Tests.Integration.Host.Lattice;

/// <summary>Claims embedded in a component's <c>jwt</c> section: verified at scale, reported by claims.get, the inventory and events.</summary>
[Collection(HostLatticeCollection.Name)]
public sealed class ClaimsTests(HostLatticeFixture lattice) : IDisposable
{
    private readonly ScratchDirectory _dir = ScratchDirectory.Create("claims");

    private const byte AccountPrefix = 0;       // 'A'
    private const byte ModulePrefix = 12 << 3;  // 'M'

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_signed_component_is_reported_by_claims_get_inventory_and_component_scaled()
    {
        Assert.Empty((await lattice.Client.GetClaimsAsync(Ct)).Response!);
        var (accountSeed, account) = NewKey(AccountPrefix);
        var (_, module) = NewKey(ModulePrefix);
        var jwt = Sign(accountSeed, new
        {
            jti = "test", iat = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), iss = account, sub = module,
            wascap = new { name = "Signed Hello", hash = "", tags = new[] { "demo", "http" }, rev = 3, ver = "0.3.0", call_alias = "hello-alias", prov = false },
            wascap_revision = 3,
        });
        var image = await WriteAsync("signed.wasm", WithSection(await ActorBuilder.CgiModuleAsync("hello", Ct), "jwt", jwt));

        await ScaleAsync("signed-hello", image);

        var claims = (await lattice.Client.GetClaimsAsync(Ct)).Response!;
        var entry = Assert.Single(claims);
        Assert.Equal(new Dictionary<string, string>
        {
            ["call_alias"] = "hello-alias", ["iss"] = account, ["issuer"] = account, ["name"] = "Signed Hello", ["rev"] = "3", ["revision"] = "3",
            ["sub"] = module, ["subject"] = module, ["tags"] = "demo,http", ["version"] = "0.3.0",
        }, entry);
        var inventory = (await lattice.Client.GetHostInventoryAsync(lattice.HostA.HostId, Ct)).Response!;
        var described = inventory.Components.Single(c => c.Id == "signed-hello");
        Assert.Equal(("Signed Hello", 3), (described.Name, described.Revision));
        var scaled = await lattice.Events.WaitAsync(LatticeEvents.ComponentScaled, d => d.GetProperty("component_id").GetString() == "signed-hello", cancellationToken: Ct);
        Assert.Equal(module, scaled.Data.GetProperty("public_key").GetString());
        Assert.Equal("Signed Hello", scaled.Data.GetProperty("claims").GetProperty("name").GetString());

        // The same claims with one byte of the payload changed no longer verify: the scale fails.
        var parts = jwt.Split('.');
        var tampered = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("Signed Hello", "Signed Hellp")))}.{parts[2]}";
        var forged = await WriteAsync("forged.wasm", WithSection(await ActorBuilder.CgiModuleAsync("hello", Ct), "jwt", tampered));
        var reply = await lattice.Client.ScaleComponentAsync(new ScaleComponentCommand { ComponentId = "forged-hello", ComponentRef = forged, MaxInstances = 1, HostId = lattice.HostB.HostId }, Ct);
        Assert.True(reply.Success);
        var failed = await lattice.Events.WaitAsync(LatticeEvents.ComponentScaleFailed, d => d.GetProperty("component_id").GetString() == "forged-hello", cancellationToken: Ct);
        Assert.Contains("claims signature does not verify", failed.Data.GetProperty("error").GetString());
        Assert.Single((await lattice.Client.GetClaimsAsync(Ct)).Response!);
    }

    private async Task ScaleAsync(string id, string image)
    {
        var reply = await lattice.Client.ScaleComponentAsync(new ScaleComponentCommand { ComponentId = id, ComponentRef = image, MaxInstances = 1, HostId = lattice.HostA.HostId }, Ct);
        Assert.True(reply.Success, reply.Message);
        await lattice.Events.WaitAsync(LatticeEvents.ComponentScaled, d => d.GetProperty("component_id").GetString() == id, TimeSpan.FromSeconds(60), Ct);
    }

    private static (byte[] Seed, string Public) NewKey(byte prefix)
    {
        var seed = RandomNumberGenerator.GetBytes(32);
        return (seed, NKeyEncoding.EncodePublic(prefix, Ed25519Keys.PublicKey(seed)));
    }

    /// <summary>A wascap-style JWT: header {"typ":"jwt","alg":"Ed25519"}, Ed25519 signature of "header.claims" by the issuer.</summary>
    private static string Sign(byte[] issuerSeed, object claims)
    {
        var head = Base64Url.EncodeToString("{\"typ\":\"jwt\",\"alg\":\"Ed25519\"}"u8);
        var body = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims));
        return $"{head}.{body}.{Base64Url.EncodeToString(Ed25519Keys.Sign(issuerSeed, Encoding.ASCII.GetBytes($"{head}.{body}")))}";
    }

    /// <summary>Appends a custom section (id 0, LEB128 size, LEB128-prefixed name, payload), as wascap embeds claims.</summary>
    private static byte[] WithSection(byte[] wasm, string name, string payload)
    {
        var content = new List<byte>();
        content.AddRange(Leb(Encoding.UTF8.GetByteCount(name)));
        content.AddRange(Encoding.UTF8.GetBytes(name));
        content.AddRange(Encoding.UTF8.GetBytes(payload));
        return [.. wasm, 0, .. Leb(content.Count), .. content];
    }

    private static List<byte> Leb(int value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return bytes;
    }

    public void Dispose() => _dir.Dispose();

    private async Task<string> WriteAsync(string name, byte[] wasm)
    {
        var path = Path.Combine(_dir.Path, name);
        await File.WriteAllBytesAsync(path, wasm, Ct);
        return "file://" + path;
    }
}
