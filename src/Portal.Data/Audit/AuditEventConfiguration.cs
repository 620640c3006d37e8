using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data.Audit;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable("audit_events");
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        // One chain per tenant: a sequence number appears once, which also serialises writers.
        builder.HasIndex(a => new { a.TenantId, a.Sequence }).IsUnique();
        builder.HasIndex(a => new { a.TenantId, a.OccurredAt });
        builder.Property(a => a.ActorType).HasMaxLength(16);
        builder.Property(a => a.ActorId).HasMaxLength(80);
        builder.Property(a => a.ActorName).HasMaxLength(200);
        builder.Property(a => a.Action).HasMaxLength(80);
        builder.Property(a => a.TargetType).HasMaxLength(40);
        builder.Property(a => a.TargetId).HasMaxLength(200);
        // json, not jsonb: the text must come back byte for byte or the chain would not verify.
        builder.Property(a => a.Before).HasColumnType("json");
        builder.Property(a => a.After).HasColumnType("json");
        builder.Property(a => a.IpAddress).HasMaxLength(64);
        builder.Property(a => a.UserAgent).HasMaxLength(400);
        builder.Property(a => a.CorrelationId).HasMaxLength(64);
        builder.Property(a => a.PreviousHash).HasMaxLength(64);
        builder.Property(a => a.Hash).HasMaxLength(64);
        // A stored tsvector with a GIN index keeps search fast over a long trail. json needs an
        // explicit ::text: coalescing json with '' would try to parse '' as JSON.
        builder.Property(a => a.SearchVector).HasComputedColumnSql(
            """to_tsvector('simple', "ActorName" || ' ' || replace("Action", '.', ' ') || ' ' || "TargetType" || ' ' || "TargetId" || ' ' || coalesce("Before"::text, '') || ' ' || coalesce("After"::text, ''))""",
            stored: true);
        builder.HasIndex(a => a.SearchVector).HasMethod("GIN");
    }
}
