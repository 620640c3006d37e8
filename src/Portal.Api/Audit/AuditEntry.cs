namespace Portal.Api.Audit;

/// <summary>What changed, as a feature service describes it; <see cref="AuditWriter"/> adds who, where and the chain.</summary>
public sealed record AuditEntry(
    Guid TenantId,
    string Action,
    string TargetType,
    string TargetId,
    object? Before = null,
    object? After = null);
