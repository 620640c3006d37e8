using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data.Applications;

internal sealed class ApplicationConfiguration : IEntityTypeConfiguration<Application>
{
    public void Configure(EntityTypeBuilder<Application> builder)
    {
        builder.ToTable("applications");
        builder.Property(a => a.Name).HasMaxLength(100);
        builder.Property(a => a.CreatedBy).HasMaxLength(256);
        builder.HasIndex(a => new { a.TenantId, a.Name }).IsUnique();
        builder.HasOne<Tenants.Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ApplicationVersionConfiguration : IEntityTypeConfiguration<ApplicationVersion>
{
    public void Configure(EntityTypeBuilder<ApplicationVersion> builder)
    {
        builder.ToTable("application_versions");
        builder.Property(v => v.Version).HasMaxLength(128);
        builder.Property(v => v.Sequence).UseIdentityAlwaysColumn();
        builder.Property(v => v.SubmittedFormat).HasMaxLength(8);
        builder.Property(v => v.Canonical).HasColumnType("jsonb");
        builder.Property(v => v.Digest).HasMaxLength(71);
        builder.Property(v => v.Description).HasMaxLength(1000);
        builder.Property(v => v.CreatedBy).HasMaxLength(256);
        // The version string is unique per application: a concurrent duplicate put fails here (409).
        builder.HasIndex(v => new { v.ApplicationId, v.Version }).IsUnique();
        builder.HasIndex(v => new { v.ApplicationId, v.Sequence });
        builder.HasIndex(v => v.ImageRefs).HasMethod("gin");
        builder.HasOne(v => v.Application).WithMany(a => a.Versions).HasForeignKey(v => v.ApplicationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DeploymentConfiguration : IEntityTypeConfiguration<Deployment>
{
    public void Configure(EntityTypeBuilder<Deployment> builder)
    {
        builder.ToTable("deployments");
        builder.Property(d => d.DesiredState).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.StatusType).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.StatusMessage).HasMaxLength(4000);
        builder.Property(d => d.Scalers).HasColumnType("jsonb");
        builder.Property(d => d.DeployedBy).HasMaxLength(256);
        builder.HasIndex(d => new { d.ApplicationId, d.LatticeId }).IsUnique();
        builder.HasIndex(d => d.LatticeId);
        builder.HasOne(d => d.Application).WithMany(a => a.Deployments).HasForeignKey(d => d.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(d => d.Lattice).WithMany().HasForeignKey(d => d.LatticeId).OnDelete(DeleteBehavior.Cascade);
        // NO ACTION, checked at the end of the statement: deleting a version that is desired
        // somewhere fails, yet deleting the whole application (which cascades to both rows) works.
        builder.HasOne(d => d.DesiredVersion).WithMany().HasForeignKey(d => d.DesiredVersionId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne(d => d.PreviousVersion).WithMany().HasForeignKey(d => d.PreviousVersionId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ApplicationEventConfiguration : IEntityTypeConfiguration<ApplicationEvent>
{
    public void Configure(EntityTypeBuilder<ApplicationEvent> builder)
    {
        builder.ToTable("application_events");
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.Property(e => e.Lattice).HasMaxLength(40);
        builder.Property(e => e.Version).HasMaxLength(128);
        builder.Property(e => e.Kind).HasMaxLength(40);
        builder.Property(e => e.Actor).HasMaxLength(256);
        builder.Property(e => e.Message).HasMaxLength(4000);
        builder.Property(e => e.Data).HasColumnType("jsonb");
        builder.HasIndex(e => new { e.ApplicationId, e.Id });
        builder.HasOne<Application>().WithMany().HasForeignKey(e => e.ApplicationId).OnDelete(DeleteBehavior.Cascade);
    }
}
