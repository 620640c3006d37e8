namespace Portal.Host.Engine;

/// <summary>
/// An actor's answer. When the actor failed (trap, timeout, memory cap, ...) the engine still answers
/// (500 with a short text body) and <see cref="Failure"/> says why, so callers can serve it as is.
/// </summary>
public sealed record HttpActorResponse(
    int Status,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    ReadOnlyMemory<byte> Body,
    ActorFailure? Failure = null)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>Why an actor did not produce its own response.</summary>
public enum ActorFailure
{
    Trap,
    Timeout,
    MemoryLimit,
    NotLoaded,
    BadResponse,
    SidecarUnavailable,
    Internal,
}
