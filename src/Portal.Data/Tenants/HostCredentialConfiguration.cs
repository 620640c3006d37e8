using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data.Tenants;

internal sealed class HostCredentialConfiguration : IEntityTypeConfiguration<HostCredential>
{
    public void Configure(EntityTypeBuilder<HostCredential> builder)
    {
        builder.ToTable("host_credentials");
        builder.Property(c => c.Name).HasMaxLength(60);
        builder.Property(c => c.NatsUser).HasMaxLength(100);
        builder.HasIndex(c => c.NatsUser).IsUnique();
        builder.HasIndex(c => c.LatticeRowId);
        builder.HasOne(c => c.Lattice).WithMany().HasForeignKey(c => c.LatticeRowId).OnDelete(DeleteBehavior.Cascade);
    }
}
