namespace Portal.Data.Applications;

/// <summary>
/// One entry of an application's timeline: what people did (deployed, undeployed, rolled back)
/// and what the reconciler saw and did (status changes, commands sent, events received, hosts
/// lost, repairs). Unlike audit events these are not hash-chained: most are written by the
/// reconciler, not by a person's change.
/// </summary>
public sealed class ApplicationEvent : ITenantOwned
{
    /// <summary>Database-assigned and increasing: the timeline's order and its paging cursor.</summary>
    public long Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid ApplicationId { get; set; }

    /// <summary>The environment's name, when the event concerns one lattice.</summary>
    public string? Lattice { get; set; }

    /// <summary>The application version concerned, if any.</summary>
    public string? Version { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>One of <see cref="ApplicationEventKinds"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>Who: a person's name, a token, or <c>reconciler</c>.</summary>
    public required string Actor { get; set; }

    public required string Message { get; set; }

    /// <summary>Details as JSON (the command sent, the event received, the status before and after).</summary>
    public string? Data { get; set; }
}
