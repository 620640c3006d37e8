using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data.Artifacts;

internal sealed class ProviderRefConfiguration : IEntityTypeConfiguration<ProviderRef>
{
    public void Configure(EntityTypeBuilder<ProviderRef> builder)
    {
        builder.ToTable("provider_refs");
        builder.Property(p => p.Name).HasMaxLength(100);
        builder.Property(p => p.ImageRef).HasMaxLength(500);
        builder.Property(p => p.Description).HasMaxLength(500);
        builder.HasIndex(p => new { p.TenantId, p.Name }).IsUnique();
        builder.HasOne<Tenants.Tenant>().WithMany().HasForeignKey(p => p.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
