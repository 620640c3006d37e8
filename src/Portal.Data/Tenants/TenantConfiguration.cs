using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data.Tenants;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> builder)
    {
        builder.ToTable("tenants");
        builder.Property(t => t.Slug).HasMaxLength(40);
        builder.Property(t => t.DisplayName).HasMaxLength(120);
        builder.HasIndex(t => t.Slug).IsUnique();
        builder.Property(t => t.Version).IsRowVersion();
    }
}

internal sealed class LatticeConfiguration : IEntityTypeConfiguration<Lattice>
{
    public void Configure(EntityTypeBuilder<Lattice> builder)
    {
        builder.ToTable("lattices");
        builder.Property(l => l.Name).HasMaxLength(40);
        builder.Property(l => l.LatticeId).HasMaxLength(80);
        builder.HasIndex(l => l.LatticeId).IsUnique();
        builder.HasIndex(l => new { l.TenantId, l.Name }).IsUnique();
        builder.HasOne(l => l.Tenant).WithMany(t => t.Lattices).HasForeignKey(l => l.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MembershipConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> builder)
    {
        builder.ToTable("memberships");
        builder.HasKey(m => new { m.TenantId, m.UserId });
        builder.HasIndex(m => m.UserId);
        builder.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
        builder.HasOne(m => m.Tenant).WithMany(t => t.Members).HasForeignKey(m => m.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.ToTable("invitations");
        builder.Property(i => i.Email).HasMaxLength(256);
        builder.Property(i => i.Role).HasConversion<string>().HasMaxLength(16);
        builder.Property(i => i.SecretHash).HasMaxLength(64);
        builder.HasIndex(i => i.SecretHash).IsUnique();
        builder.HasIndex(i => new { i.TenantId, i.Email });
        builder.HasOne(i => i.Tenant).WithMany().HasForeignKey(i => i.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
