namespace Portal.Data.Tenants;

/// <summary>An organisation that owns lattices, artifacts and applications, and is billed.</summary>
public sealed class Tenant
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>URL-safe unique name used in routes and image references (<c>/api/v1/tenants/{slug}</c>).</summary>
    public required string Slug { get; set; }

    public required string DisplayName { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>Postgres's row version (xmin): the ETag of the tenant, checked on If-Match.</summary>
    public uint Version { get; set; }

    public List<Membership> Members { get; set; } = [];

    public List<Lattice> Lattices { get; set; } = [];
}
