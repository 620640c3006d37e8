namespace Portal.Host.Engine.Sidecar;

/// <summary>The sidecar process went away while a request was waiting for its answer.</summary>
public sealed class SidecarExitedException(string message) : Exception(message);
