namespace Portal.Host.Engine;

/// <summary>
/// A guest's call of an import the host implements (e.g. <c>wasi:keyvalue/store</c>.<c>get</c>),
/// with its arguments as byte strings (strings in UTF-8); the sidecar converts to and from WIT types.
/// </summary>
public sealed record HostCall(string ComponentId, string Interface, string Function, IReadOnlyList<ReadOnlyMemory<byte>> Arguments)
{
    public string Text(int index) => System.Text.Encoding.UTF8.GetString(Arguments[index].Span);
}

/// <summary>The answer: values (ok), or a WIT error variant case (<see cref="ErrorTag"/>, with a message for <c>other</c>).</summary>
public sealed record HostCallResult(IReadOnlyList<ReadOnlyMemory<byte>> Values, string? ErrorTag = null, string ErrorMessage = "")
{
    public static HostCallResult Ok(params ReadOnlyMemory<byte>[] values) => new(values);

    public static HostCallResult Error(string tag, string message = "") => new([], tag, message);
}

/// <summary>What implements host calls for the engine's guests (the host's built-in providers).</summary>
public interface IHostCallHandler
{
    ValueTask<HostCallResult> CallAsync(HostCall call, CancellationToken cancellationToken);
}
