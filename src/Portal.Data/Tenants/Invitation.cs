namespace Portal.Data.Tenants;

/// <summary>An invitation to join a tenant with a role, accepted by following a link before it expires.</summary>
public sealed class Invitation : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid TenantId { get; set; }

    public Tenant? Tenant { get; set; }

    public required string Email { get; set; }

    public TenantRole Role { get; set; }

    /// <summary>Hex SHA-256 of the secret in the invitation link.</summary>
    public required string SecretHash { get; set; }

    public Guid InvitedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? AcceptedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
