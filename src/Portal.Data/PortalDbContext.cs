using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Audit;
using Portal.Data.Identity;
using Portal.Data.Tenants;

namespace Portal.Data;

/// <summary>The system of record. Schema changes go through the migrations project only.</summary>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options)
    : IdentityDbContext<PortalUser, IdentityRole<Guid>, Guid>(options)
{
    /// <summary>The assembly that holds this context's migrations.</summary>
    public const string MigrationsAssembly = "Portal.Migrations";

    public DbSet<Tenant> Tenants => Set<Tenant>();

    public DbSet<Lattice> Lattices => Set<Lattice>();

    public DbSet<Membership> Memberships => Set<Membership>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
    }
}
