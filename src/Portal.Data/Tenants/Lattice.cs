namespace Portal.Data.Tenants;

/// <summary>One of a tenant's environments: an isolated NATS lattice of hosts.</summary>
public sealed class Lattice : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid TenantId { get; set; }

    public Tenant? Tenant { get; set; }

    /// <summary>The environment's name within the tenant, e.g. <c>dev</c> or <c>prod</c>.</summary>
    public required string Name { get; set; }

    /// <summary>The lattice id on the wire (subject prefix <c>wasmbus.ctl.v1.{LatticeId}</c>), unique platform-wide.</summary>
    public required string LatticeId { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
