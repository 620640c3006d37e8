namespace Portal.Lattice.Nats;

public enum NatsConnectionState
{
    Closed,
    Connecting,
    Open,
    Reconnecting,
}

public sealed class NatsConnectionStateChangedEventArgs(NatsConnectionState previous, NatsConnectionState current, Exception? error) : EventArgs
{
    public NatsConnectionState Previous { get; } = previous;

    public NatsConnectionState Current { get; } = current;

    /// <summary>Why the connection was lost, when it was.</summary>
    public Exception? Error { get; } = error;
}
