namespace Portal.Host.Engine.Protocol;

/// <summary>Why the sidecar answered a request with a Failed frame (mirrors FailureCode in frames.mjs).</summary>
public enum FailureCode : uint
{
    Trap = 1,
    Timeout = 2,
    MemoryLimit = 3,
    NotLoaded = 4,
    BadRequest = 5,
    Internal = 6,
    BadResponse = 7,
    LoadFailed = 8,
}
