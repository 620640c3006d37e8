namespace Portal.Lattice.Control;

/// <summary>
/// The reply envelope of every control-interface request: <c>{"success":..,"message":..,"response":..}</c>.
/// <c>message</c> is always present (may be empty); <c>response</c> only for queries.
/// </summary>
public sealed record CtlResponse<T>
{
    public bool Success { get; init; }

    public string Message { get; init; } = "";

    public T? Response { get; init; }

    public static CtlResponse<T> Ok(T response, string message = "") => new() { Success = true, Message = message, Response = response };

    public static CtlResponse<T> Error(string message) => new() { Success = false, Message = message };
}

/// <summary>Replies without a payload (commands): <c>{"success":true,"message":"..."}</c>.</summary>
public static class CtlResponse
{
    public static CtlResponse<object> Ok(string message = "") => new() { Success = true, Message = message };

    public static CtlResponse<object> Error(string message) => new() { Success = false, Message = message };
}
