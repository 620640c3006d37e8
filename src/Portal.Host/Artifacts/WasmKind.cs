using Portal.Host.Engine;

namespace Portal.Host.Artifacts;

/// <summary>Tells a core module from a component by the preamble: both start with "\0asm", then version 1 vs the component layer.</summary>
public static class WasmKind
{
    public static ActorKind Detect(ReadOnlySpan<byte> wasm)
    {
        if (wasm.Length < 8 || wasm[0] != 0 || wasm[1] != (byte)'a' || wasm[2] != (byte)'s' || wasm[3] != (byte)'m')
            throw new ImageFetchException("not a WebAssembly binary (bad magic)");
        // Core modules: version 1, layer 0. Components: version 0x0d (pre-1.0 encoding), layer 1.
        return wasm[6] == 1 && wasm[7] == 0 ? ActorKind.HttpComponent : ActorKind.CgiModule;
    }
}
