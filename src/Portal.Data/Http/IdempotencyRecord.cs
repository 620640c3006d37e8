namespace Portal.Data.Http;

/// <summary>
/// The stored outcome of a creating POST sent with an <c>Idempotency-Key</c> header, so a retried
/// request gets the same answer instead of creating a second resource.
/// </summary>
public sealed class IdempotencyRecord
{
    /// <summary>The <see cref="StatusCode"/> of a reserved key whose first request is still running.</summary>
    public const int InProgress = 0;

    /// <summary>Who sent it (user or token id) and the key they chose: together unique.</summary>
    public required string Principal { get; set; }

    public required string Key { get; set; }

    /// <summary>Hex SHA-256 of method, path and body: a reused key with another request is refused.</summary>
    public required string RequestHash { get; set; }

    /// <summary>The stored answer's status, or <see cref="InProgress"/> while the first request runs.</summary>
    public int StatusCode { get; set; }

    public string? Location { get; set; }

    public required string ResponseBody { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
