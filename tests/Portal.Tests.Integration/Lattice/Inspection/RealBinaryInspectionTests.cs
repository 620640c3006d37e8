using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Portal.Lattice.Inspection;
using Portal.Testing.Actors;

namespace Portal.Tests.Integration.Lattice.Inspection;

/// <summary>The inspector on binaries real toolchains made: clang, componentize-js, wat2wasm, and claims signed by Node.</summary>
public sealed class RealBinaryInspectionTests(InspectionFixture fixture) : IClassFixture<InspectionFixture>
{
    [Fact]
    public void The_clang_cgi_module_is_a_wasi_command()
    {
        var inspection = WasmInspector.Inspect(fixture.Hello);

        Assert.Equal(WasmBinaryKind.CoreModule, inspection.Kind);
        Assert.Equal(fixture.Hello.Length, inspection.Size);
        Assert.True(inspection.IsCgiCommand);
        Assert.Contains(new WasmExport("_start", WasmExternKind.Function, inspection.Exports.Single(e => e.Name == "_start").Index), inspection.Exports);
        Assert.Contains(inspection.Exports, e => e is { Name: "memory", Kind: WasmExternKind.Memory });
        // fputs to stdout and the exit code: what any wasi-libc CGI program needs.
        Assert.Contains("fd_write", inspection.WasiFunctions);
        Assert.Contains("proc_exit", inspection.WasiFunctions);
        Assert.All(inspection.Imports, i => Assert.Equal(("wasi_snapshot_preview1", WasmExternKind.Function), (i.Module, i.Kind)));
        var memory = Assert.Single(inspection.Memories);
        Assert.False(memory.IsImported || memory.Is64 || memory.Shared);
        Assert.True(memory.MinPages >= 1);
        Assert.Contains(inspection.Producers.Single(p => p.Name == "processed-by").Values, v => v.Name.Contains("clang"));
        Assert.Contains(inspection.CustomSections, c => c.Name == "producers");
        Assert.Null(inspection.Claims);
    }

    [Fact]
    public void A_reactor_module_is_not_a_cgi_command()
    {
        var inspection = WasmInspector.Inspect(fixture.Reactor);

        Assert.False(inspection.IsCgiCommand);
        Assert.Contains(inspection.Exports, e => e is { Name: "_initialize", Kind: WasmExternKind.Function });
    }

    [Fact]
    public void The_componentize_js_component_has_the_wasi_http_proxy_world()
    {
        var inspection = WasmInspector.Inspect(fixture.Component);

        Assert.Equal(WasmBinaryKind.Component, inspection.Kind);
        Assert.False(inspection.IsCgiCommand);
        Assert.Empty(inspection.Imports);
        var world = inspection.World!;
        Assert.Equal(["wasi:http/incoming-handler@0.2.12"], world.ExportedInterfaces);
        Assert.Equal(new WitInterfaceName("wasi", "http", "incoming-handler", "0.2.12"), world.Exports.Single().Interface);
        // Exactly what `jco wit` prints for this component: the proxy world plus what StarlingMonkey uses.
        Assert.Equal(
        [
            "wasi:io/poll@0.2.12", "wasi:clocks/monotonic-clock@0.2.12", "wasi:clocks/wall-clock@0.2.12",
            "wasi:random/random@0.2.12", "wasi:io/error@0.2.12", "wasi:io/streams@0.2.12", "wasi:cli/stdout@0.2.12",
            "wasi:cli/stderr@0.2.12", "wasi:cli/stdin@0.2.12", "wasi:http/types@0.2.12", "wasi:http/outgoing-handler@0.2.12",
            "wasi:cli/terminal-input@0.2.12", "wasi:cli/terminal-output@0.2.12", "wasi:cli/terminal-stdin@0.2.12",
            "wasi:cli/terminal-stdout@0.2.12", "wasi:cli/terminal-stderr@0.2.12", "wasi:filesystem/types@0.2.12",
            "wasi:filesystem/preopens@0.2.12",
        ], world.ImportedInterfaces);
        Assert.All(world.Imports, i => Assert.Equal(WitItemKind.Instance, i.Kind));
        Assert.True(inspection.NestedCoreModules >= 1);
        Assert.Equal(["component-name", "producers"], inspection.CustomSections.Select(c => c.Name));
        Assert.Contains(inspection.Producers.Single(p => p.Name == "processed-by").Values, v => v.Name == "ComponentizeJS");
    }

    [Fact]
    public void The_wat_module_shows_every_import_and_export_kind_and_memory_flag()
    {
        var inspection = WasmInspector.Inspect(fixture.Kinds);

        Assert.Equal("inspected", inspection.Name);
        Assert.Equal(
        [
            new WasmImport("wasi_snapshot_preview1", "fd_write", WasmExternKind.Function),
            new WasmImport("wasi_snapshot_preview1", "proc_exit", WasmExternKind.Function),
            new WasmImport("wasi_snapshot_preview1", "fd_write", WasmExternKind.Function),
            new WasmImport("env", "table", WasmExternKind.Table),
            new WasmImport("env", "shared_memory", WasmExternKind.Memory),
            new WasmImport("env", "counter", WasmExternKind.Global),
            new WasmImport("env", "oops", WasmExternKind.Tag),
        ], inspection.Imports.ToArray());
        Assert.Equal(["fd_write", "proc_exit"], inspection.WasiFunctions.ToArray());
        Assert.Equal(
            [("heap", WasmExternKind.Memory), ("answer", WasmExternKind.Global), ("functions", WasmExternKind.Table),
             ("failure", WasmExternKind.Tag), ("_start", WasmExternKind.Function), ("run", WasmExternKind.Function)],
            inspection.Exports.Select(e => (e.Name, e.Kind)).ToArray());
        Assert.Equal(
        [
            new WasmMemory(1, 16, Is64: false, Shared: true, ImportModule: "env", ImportName: "shared_memory"),
            new WasmMemory(3, null, Is64: true, Shared: false),
        ], inspection.Memories.ToArray());
        Assert.True(inspection.IsCgiCommand);
    }

    [Fact]
    public void Claims_signed_by_node_verify_and_decode()
    {
        var claims = WasmInspector.Inspect(fixture.SignedHello.Wasm).Claims!;

        Assert.Equal(ClaimsSignature.Valid, claims.Signature);
        Assert.Null(claims.SignatureNote);
        Assert.True(claims.ModuleHashMatches);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(fixture.Hello)), claims.ModuleHash);
        Assert.Equal((fixture.SignedHello.Issuer, fixture.SignedHello.Subject), (claims.Issuer, claims.Subject));
        Assert.StartsWith("A", claims.Issuer);
        Assert.StartsWith("M", claims.Subject);
        Assert.Equal(("hello", "0.1.0", 3, "demo/hello"), (claims.Name, claims.Version, claims.Revision, claims.CallAlias));
        Assert.Equal(["cgi", "demo"], claims.Tags.ToArray());
        Assert.Equal(InspectionFixture.IssuedAt, claims.IssuedAt);
        Assert.Equal(InspectionFixture.IssuedAt.AddYears(10), claims.Expires);
        Assert.Equal(("wasmcloud_jwt", "Ed25519", 3), (claims.SectionName, claims.Algorithm, claims.WascapRevision));
        Assert.Equal(fixture.SignedHello.Jwt, claims.Jwt);
    }

    [Fact]
    public void Changed_code_breaks_the_module_hash_but_not_the_signature()
    {
        var wasm = (byte[])fixture.SignedHello.Wasm.Clone();
        var code = WasmInspector.Inspect(wasm).Sections.Single(s => s.Name == "code");
        wasm[code.Offset + code.Size / 2] ^= 0x01;

        var claims = WasmInspector.Inspect(wasm).Claims!;

        Assert.False(claims.ModuleHashMatches);
        Assert.Equal(ClaimsSignature.Valid, claims.Signature);
    }

    [Fact]
    public void Changed_claims_break_the_signature()
    {
        // Rename the component inside the payload (same length, so the section keeps its size).
        var wasm = (byte[])fixture.SignedHello.Wasm.Clone();
        var payload = fixture.SignedHello.Jwt.Split('.')[1];
        var forged = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            Encoding.UTF8.GetString(Base64Url.DecodeFromChars(payload)).Replace("\"name\":\"hello\"", "\"name\":\"hellx\"")));
        Assert.Equal(payload.Length, forged.Length);
        var at = wasm.AsSpan().IndexOf(Encoding.ASCII.GetBytes(payload));
        Encoding.ASCII.GetBytes(forged).CopyTo(wasm, at);

        var claims = WasmInspector.Inspect(wasm).Claims!;

        Assert.Equal("hellx", claims.Name);
        Assert.Equal(ClaimsSignature.Invalid, claims.Signature);
        Assert.Equal("the signature does not verify with the issuer's key", claims.SignatureNote);
    }

    [Fact]
    public async Task A_signed_component_hashes_through_its_nested_modules()
    {
        // wascap hashes a re-encoding of every nested module and component; for a binary with
        // minimal LEB128 sizes that is its own SHA-256, which is what the Node signer signed.
        var signed = await ClaimsSigner.SignAsync(fixture.Component, InspectionFixture.HelloClaims, TestContext.Current.CancellationToken);

        var inspection = WasmInspector.Inspect(signed.Wasm);

        Assert.Equal(ClaimsSignature.Valid, inspection.Claims!.Signature);
        Assert.True(inspection.Claims.ModuleHashMatches);
        Assert.Equal(["component-name", "producers", "wasmcloud_jwt"], inspection.CustomSections.Select(c => c.Name));
    }
}
