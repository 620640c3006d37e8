using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data.Billing;

internal sealed class UsageRecordConfiguration : IEntityTypeConfiguration<UsageRecord>
{
    public void Configure(EntityTypeBuilder<UsageRecord> builder)
    {
        builder.ToTable("usage_records");
        builder.Property(u => u.Id).UseIdentityAlwaysColumn();
        builder.Property(u => u.LatticeId).HasMaxLength(64);
        builder.Property(u => u.Application).HasMaxLength(256);
        builder.Property(u => u.Unit).HasConversion<string>().HasMaxLength(40);
        builder.Property(u => u.Quantity).HasPrecision(28, 6);
        // The period key: what makes metering idempotent across restarts and replicas.
        builder.HasIndex(u => new { u.TenantId, u.LatticeId, u.Application, u.Unit, u.PeriodStart }).IsUnique();
        builder.HasIndex(u => new { u.TenantId, u.PeriodStart });
        builder.HasOne<Tenants.Tenant>().WithMany().HasForeignKey(u => u.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InvocationMarkConfiguration : IEntityTypeConfiguration<InvocationMark>
{
    public void Configure(EntityTypeBuilder<InvocationMark> builder)
    {
        builder.ToTable("invocation_marks");
        builder.HasKey(m => new { m.LatticeId, m.HostId, m.BootId });
        builder.Property(m => m.LatticeId).HasMaxLength(64);
        builder.Property(m => m.HostId).HasMaxLength(64);
        builder.Property(m => m.BootId).HasMaxLength(64);
        builder.Property(m => m.Totals).HasColumnType("jsonb");
    }
}

internal sealed class InvoiceConfiguration : IEntityTypeConfiguration<Invoice>
{
    public void Configure(EntityTypeBuilder<Invoice> builder)
    {
        builder.ToTable("invoices");
        builder.Property(i => i.Number).HasMaxLength(120);
        builder.Property(i => i.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(i => i.PlanName).HasMaxLength(40);
        builder.Property(i => i.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(i => i.Total).HasPrecision(14, 2);
        // One live invoice per tenant and month; a voided one may be replaced.
        builder.HasIndex(i => new { i.TenantId, i.Month }).IsUnique().HasFilter("\"Status\" <> 'Void'");
        builder.HasOne<Tenants.Tenant>().WithMany().HasForeignKey(i => i.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(i => i.Lines).WithOne().HasForeignKey(l => l.InvoiceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InvoiceLineConfiguration : IEntityTypeConfiguration<InvoiceLine>
{
    public void Configure(EntityTypeBuilder<InvoiceLine> builder)
    {
        builder.ToTable("invoice_lines");
        builder.Property(l => l.Unit).HasConversion<string>().HasMaxLength(40);
        builder.Property(l => l.Description).HasMaxLength(200);
        builder.Property(l => l.Used).HasPrecision(28, 6);
        builder.Property(l => l.UnitPrice).HasPrecision(18, 9);
        builder.Property(l => l.Amount).HasPrecision(14, 2);
    }
}
