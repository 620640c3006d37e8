namespace Portal.Lattice.Nats;

public class NatsException : Exception
{
    public NatsException(string message) : base(message) { }

    public NatsException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The server answered a request with status 503: nobody subscribes to the subject.</summary>
public sealed class NatsNoRespondersException(string subject)
    : NatsException($"no responders for '{subject}'")
{
    public string Subject { get; } = subject;
}

/// <summary>A request got no reply within its timeout.</summary>
public sealed class NatsRequestTimeoutException(string subject, TimeSpan timeout)
    : NatsException($"no reply for '{subject}' within {timeout.TotalMilliseconds:0} ms")
{
    public string Subject { get; } = subject;

    public TimeSpan Timeout { get; } = timeout;
}

/// <summary>The server sent -ERR (e.g. authorization violation).</summary>
public sealed class NatsServerException(string error) : NatsException($"nats-server: {error}")
{
    public string Error { get; } = error;
}
