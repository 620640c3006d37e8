using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data.Identity;

internal sealed class AccountEventConfiguration : IEntityTypeConfiguration<AccountEvent>
{
    public void Configure(EntityTypeBuilder<AccountEvent> builder)
    {
        builder.ToTable("account_events");
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        // One chain per user. No foreign key: the history outlives the account, and the
        // append-only trigger would refuse a cascading delete anyway.
        builder.HasIndex(e => new { e.UserId, e.Sequence }).IsUnique();
        builder.Property(e => e.Action).HasMaxLength(80);
        builder.Property(e => e.Detail).HasMaxLength(200);
        builder.Property(e => e.IpAddress).HasMaxLength(64);
        builder.Property(e => e.UserAgent).HasMaxLength(400);
        builder.Property(e => e.CorrelationId).HasMaxLength(64);
        builder.Property(e => e.PreviousHash).HasMaxLength(64);
        builder.Property(e => e.Hash).HasMaxLength(64);
    }
}
