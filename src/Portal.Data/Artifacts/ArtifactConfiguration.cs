using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data.Artifacts;

internal sealed class ArtifactConfiguration : IEntityTypeConfiguration<Artifact>
{
    public void Configure(EntityTypeBuilder<Artifact> builder)
    {
        builder.ToTable("artifacts");
        builder.Property(a => a.Name).HasMaxLength(100);
        builder.Property(a => a.Tag).HasMaxLength(128);
        builder.Property(a => a.Digest).HasMaxLength(71);
        builder.Property(a => a.ManifestDigest).HasMaxLength(71);
        builder.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.Inspection).HasColumnType("jsonb");
        builder.Property(a => a.UploadedBy).HasMaxLength(256);
        builder.HasIndex(a => new { a.TenantId, a.Name, a.Tag }).IsUnique();
        builder.HasIndex(a => new { a.TenantId, a.Digest });
        builder.HasOne<Tenants.Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
