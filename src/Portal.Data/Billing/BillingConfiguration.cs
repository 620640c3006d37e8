using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Tenants;

namespace Portal.Data.Billing;

internal sealed class PlanConfiguration : IEntityTypeConfiguration<Plan>
{
    public void Configure(EntityTypeBuilder<Plan> builder)
    {
        builder.ToTable("plans");
        builder.Property(p => p.Name).HasMaxLength(40);
        builder.HasIndex(p => p.Name).IsUnique();
        builder.Property(p => p.Description).HasMaxLength(500);
        builder.Property(p => p.MonthlyPrice).HasPrecision(12, 2);
        builder.Property(p => p.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(p => p.Version).IsRowVersion();
        // At most one default plan: a second one fails here instead of making "the default" ambiguous.
        builder.HasIndex(p => p.IsDefault).IsUnique().HasFilter("\"IsDefault\"");
    }
}

internal sealed class PlanLimitConfiguration : IEntityTypeConfiguration<PlanLimit>
{
    public void Configure(EntityTypeBuilder<PlanLimit> builder)
    {
        builder.ToTable("plan_limits", t => t.HasCheckConstraint("ck_plan_limits_amounts", "\"Included\" >= 0 AND \"OverageQuantum\" >= 1 AND (\"OveragePrice\" IS NULL OR \"OveragePrice\" >= 0)"));
        builder.HasKey(l => new { l.PlanId, l.Unit });
        builder.Property(l => l.Unit).HasConversion<string>().HasMaxLength(40);
        // Sub-cent prices are normal per unit (a byte-hour, an invocation).
        builder.Property(l => l.OveragePrice).HasPrecision(18, 9);
        builder.HasOne<Plan>().WithMany(p => p.Limits).HasForeignKey(l => l.PlanId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TenantPlanConfiguration : IEntityTypeConfiguration<TenantPlan>
{
    public void Configure(EntityTypeBuilder<TenantPlan> builder)
    {
        builder.ToTable("tenant_plans");
        builder.HasKey(t => t.TenantId);
        builder.Property(t => t.AssignedBy).HasMaxLength(256);
        builder.HasIndex(t => t.PlanId);
        builder.HasOne<Tenant>().WithOne().HasForeignKey<TenantPlan>(t => t.TenantId).OnDelete(DeleteBehavior.Cascade);
        // RESTRICT: a plan some tenant is on cannot be deleted, whoever tries.
        builder.HasOne(t => t.Plan).WithMany().HasForeignKey(t => t.PlanId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TenantPlanOverrideConfiguration : IEntityTypeConfiguration<TenantPlanOverride>
{
    public void Configure(EntityTypeBuilder<TenantPlanOverride> builder)
    {
        builder.ToTable("tenant_plan_overrides", t => t.HasCheckConstraint("ck_tenant_plan_overrides_amounts", "\"Included\" >= 0 AND \"OverageQuantum\" >= 1 AND (\"OveragePrice\" IS NULL OR \"OveragePrice\" >= 0)"));
        builder.HasKey(o => new { o.TenantId, o.Unit });
        builder.Property(o => o.Unit).HasConversion<string>().HasMaxLength(40);
        builder.Property(o => o.OveragePrice).HasPrecision(18, 9);
        builder.Property(o => o.Reason).HasMaxLength(500);
        builder.Property(o => o.CreatedBy).HasMaxLength(256);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(o => o.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
