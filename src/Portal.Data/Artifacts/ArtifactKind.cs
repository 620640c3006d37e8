namespace Portal.Data.Artifacts;

/// <summary>What the inspector found the wasm to be.</summary>
public enum ArtifactKind
{
    /// <summary>A core WebAssembly module (WASI preview1); with <c>_start</c> it runs as a CGI handler.</summary>
    CoreModule,

    /// <summary>A WebAssembly component with a WIT world (e.g. exporting <c>wasi:http/incoming-handler</c>).</summary>
    Component,
}
