using Portal.Lattice.Inspection;
using Portal.Testing.Actors;

namespace Portal.Tests.Integration.Lattice.Inspection;

/// <summary>
/// The real binaries the inspector is tested on, built at test time (cached by content hash): the C
/// CGI module and a reactor from clang, the componentize-js wasi:http component, a wat2wasm module
/// with every import and export kind, and the CGI module signed with claims by Node's Ed25519.
/// </summary>
public sealed class InspectionFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset IssuedAt = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);

    public byte[] Hello { get; private set; } = [];
    public byte[] Reactor { get; private set; } = [];
    public byte[] Component { get; private set; } = [];
    public byte[] Kinds { get; private set; } = [];
    public ClaimsSigner.Signed SignedHello { get; private set; } = null!;

    /// <summary>The component with each nested core module replaced by an empty one: all of its component-level structure in a few tens of KB.</summary>
    public byte[] ComponentSkeleton { get; private set; } = [];

    public static Dictionary<string, object?> HelloClaims => new()
    {
        ["iat"] = IssuedAt.ToUnixTimeSeconds(),
        ["exp"] = IssuedAt.AddYears(10).ToUnixTimeSeconds(),
        ["wascap"] = new Dictionary<string, object?>
        {
            ["name"] = "hello", ["ver"] = "0.1.0", ["rev"] = 3, ["call_alias"] = "demo/hello", ["tags"] = new[] { "cgi", "demo" },
        },
    };

    public async ValueTask InitializeAsync()
    {
        var ct = CancellationToken.None;
        Hello = await ActorBuilder.CgiModuleAsync("hello", ct);
        Reactor = await ActorBuilder.ReactorModuleAsync("live", ct);
        Component = await ActorBuilder.HttpComponentAsync("hello-component", ct);
        Kinds = await ActorBuilder.WatModuleAsync("inspect-kinds", ct);
        SignedHello = await ClaimsSigner.SignAsync(Hello, HelloClaims, ct);
        ComponentSkeleton = Skeleton(Component);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static byte[] Skeleton(byte[] component)
    {
        var inspection = WasmInspector.Inspect(component);
        var sections = inspection.Sections.Select(s => (s.Id, s.Offset, s.Size))
            .Concat(inspection.CustomSections.Select(c => ((byte)0, c.Offset, c.Size)))
            .OrderBy(s => s.Offset);
        var skeleton = new List<byte>(component[..8]);
        foreach (var (id, offset, size) in sections)
        {
            // id byte + LEB128 size (minimal, as wit-component writes it) + content
            var end = (int)(offset + 1 + LebLength(size) + size);
            if (id == 1) skeleton.AddRange([1, 8, 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]);
            else skeleton.AddRange(component[(int)offset..end]);
        }

        return [.. skeleton];
    }

    private static int LebLength(long value)
    {
        var length = 1;
        while ((value >>= 7) != 0) length++;
        return length;
    }
}
