namespace Portal.Host.Engine;

/// <summary>What <see cref="ActorEngine.ProbeAsync"/> times inside a sidecar worker (benchmark S2).</summary>
public enum ProbeMode
{
    /// <summary>Create an instance of the cached compiled module, WASI imports bound, nothing run.</summary>
    Instantiate = 1,

    /// <summary>A whole fresh CGI request: instance, _start, in-memory stdio, response parse.</summary>
    FreshRequest = 2,

    /// <summary>Call the exported <c>answer</c> function on one live instance.</summary>
    LiveCall = 3,
}
