namespace Portal.Data.Identity;

/// <summary>
/// Something that happened to a person's account rather than to a tenant: a sign-in, a sign-out,
/// a password or two-factor change. These belong to no tenant, so they form a stream of their own,
/// hash-chained per user and append-only like <see cref="Audit.AuditEvent"/>: one event per change,
/// visible to the person it concerns and to no tenant's administrators.
/// </summary>
public sealed class AccountEvent
{
    public long Id { get; set; }

    public Guid UserId { get; set; }

    /// <summary>Position in the user's chain, starting at 1.</summary>
    public long Sequence { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>Dotted verb, e.g. <c>signin.succeeded</c>, <c>password.change</c>, <c>2fa.disable</c>.</summary>
    public required string Action { get; set; }

    /// <summary>How, or why not: e.g. <c>authenticator</c>, <c>wrong password</c>.</summary>
    public string? Detail { get; set; }

    public string? IpAddress { get; set; }

    public string? UserAgent { get; set; }

    public string? CorrelationId { get; set; }

    public required string PreviousHash { get; set; }

    public required string Hash { get; set; }
}
