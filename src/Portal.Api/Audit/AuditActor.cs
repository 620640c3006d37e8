namespace Portal.Api.Audit;

/// <summary>Who made a change and from where.</summary>
public sealed record AuditActor(
    string Type,
    string Id,
    string Name,
    string? IpAddress = null,
    string? UserAgent = null,
    string? CorrelationId = null)
{
    /// <summary>The platform itself, e.g. <c>./portal up</c> seeding the demo tenant.</summary>
    public static AuditActor System(string name) => new("system", "system", name);
}
