namespace Portal.Data.Tenants;

/// <summary>A member's role in a tenant, from most to least privileged.</summary>
public enum TenantRole
{
    Owner = 0,
    Admin = 1,
    Developer = 2,
    Viewer = 3,
}
