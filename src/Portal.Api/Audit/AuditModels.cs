namespace Portal.Api.Audit;

public sealed record AuditEventResponse(
    long Sequence, DateTimeOffset OccurredAt, string ActorType, string ActorId, string ActorName, string Action,
    string TargetType, string TargetId, string? Before, string? After, string? IpAddress, string? UserAgent, string? CorrelationId, string Hash);

/// <summary>Filters of the audit list and export. All optional; <see cref="Search"/> matches text anywhere in the event.</summary>
public sealed record AuditFilter(string? Actor = null, string? Action = null, string? Target = null, DateTimeOffset? From = null, DateTimeOffset? To = null, string? Search = null);

/// <summary>The outcome of walking a tenant's chain: intact, or the first row that does not verify and why.</summary>
public sealed record AuditVerification(bool Valid, long EventsChecked, long? FirstBrokenSequence, string? Reason);
