namespace Portal.Data.Tenants;

/// <summary>
/// A NATS user a host joins one lattice with. The password is kept encrypted (ASP.NET Core Data
/// Protection) because the portal must write it into nats-server's configuration; it is shown to
/// a person once, when issued.
/// </summary>
public sealed class HostCredential : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid TenantId { get; set; }

    public Guid LatticeRowId { get; set; }

    public Lattice? Lattice { get; set; }

    public required string Name { get; set; }

    /// <summary>The NATS user name, unique on the server.</summary>
    public required string NatsUser { get; set; }

    public required string ProtectedPassword { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
