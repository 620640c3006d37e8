namespace Portal.Host.Engine;

/// <summary>The two kinds of wasm the host runs (ARCHITECTURE.md, "The actors our host runs").</summary>
public enum ActorKind
{
    /// <summary>A WASI preview1 command module run as a CGI (WAGI) handler, fresh instance per request.</summary>
    CgiModule = 1,

    /// <summary>A component exporting wasi:http/incoming-handler 0.2.x, transpiled once by jco.</summary>
    HttpComponent = 2,
}
