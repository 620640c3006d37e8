namespace Portal.Data;

/// <summary>
/// A row that belongs to one tenant. <see cref="PortalDbContext"/> applies a query filter to every
/// such entity, so a context scoped to a tenant cannot read another tenant's rows by accident.
/// </summary>
public interface ITenantOwned
{
    Guid TenantId { get; }
}
