using Portal.Data.Identity;

namespace Portal.Data.Tenants;

/// <summary>A user's role in one tenant. A user may belong to several tenants.</summary>
public sealed class Membership : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Tenant? Tenant { get; set; }

    public Guid UserId { get; set; }

    public PortalUser? User { get; set; }

    public TenantRole Role { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
