namespace Portal.Data.Audit;

/// <summary>
/// One change made through the UI or the API. Rows are append-only and hash-chained per tenant:
/// <see cref="Hash"/> covers this row's content and <see cref="PreviousHash"/>, so removing or
/// altering a row breaks every hash after it.
/// </summary>
public sealed class AuditEvent : ITenantOwned
{
    public long Id { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>Position in the tenant's chain, starting at 1.</summary>
    public long Sequence { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    /// <summary><c>user</c>, <c>token</c> or <c>system</c>.</summary>
    public required string ActorType { get; set; }

    public required string ActorId { get; set; }

    public string ActorName { get; set; } = "";

    /// <summary>Dotted verb, e.g. <c>tenant.create</c>, <c>artifact.upload</c>.</summary>
    public required string Action { get; set; }

    public required string TargetType { get; set; }

    public required string TargetId { get; set; }

    /// <summary>JSON of the changed fields before the change (null on create).</summary>
    public string? Before { get; set; }

    /// <summary>JSON of the changed fields after the change (null on delete).</summary>
    public string? After { get; set; }

    public string? IpAddress { get; set; }

    public string? UserAgent { get; set; }

    public string? CorrelationId { get; set; }

    public required string PreviousHash { get; set; }

    public required string Hash { get; set; }

    /// <summary>Words of the event for full-text search; computed and stored by Postgres, not hashed.</summary>
    public NpgsqlTypes.NpgsqlTsVector? SearchVector { get; private set; }
}
