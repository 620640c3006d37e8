namespace Portal.Api.Http.Idempotency;

/// <summary>Settings of <c>Idempotency-Key</c> handling, bound from <c>Portal:Idempotency</c> (environment: <c>Portal__Idempotency__Key</c>).</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Portal:Idempotency";

    /// <summary>How long a duplicate waits for the first request with its key to finish before it is told 409.</summary>
    public TimeSpan Wait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a key's answer is kept for replay; older records are purged.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the purge runs.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);
}
