using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data.Tokens;

internal sealed class PersonalAccessTokenConfiguration : IEntityTypeConfiguration<PersonalAccessToken>
{
    public void Configure(EntityTypeBuilder<PersonalAccessToken> builder)
    {
        builder.ToTable("personal_access_tokens");
        builder.Property(t => t.Name).HasMaxLength(100);
        builder.Property(t => t.Scopes).HasMaxLength(100);
        builder.Property(t => t.SecretHash).HasMaxLength(64);
        builder.Property(t => t.Prefix).HasMaxLength(16);
        builder.HasIndex(t => new { t.TenantId, t.UserId });
        builder.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Tenants.Tenant>().WithMany().HasForeignKey(t => t.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
