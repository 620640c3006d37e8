using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Applications;
using Portal.Data.Artifacts;
using Portal.Data.Audit;
using Portal.Data.Billing;
using Portal.Data.Identity;
using Portal.Data.Http;
using Portal.Data.Secrets;
using Portal.Data.Tenants;
using Portal.Data.Tokens;

namespace Portal.Data;

/// <summary>The system of record. Schema changes go through the migrations project only.</summary>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options)
    : IdentityDbContext<PortalUser, IdentityRole<Guid>, Guid>(options)
{
    /// <summary>The assembly that holds this context's migrations.</summary>
    public const string MigrationsAssembly = "Portal.Migrations";

    public DbSet<Tenant> Tenants => Set<Tenant>();

    public DbSet<Lattice> Lattices => Set<Lattice>();

    public DbSet<Membership> Memberships => Set<Membership>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<AccountEvent> AccountEvents => Set<AccountEvent>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    public DbSet<PersonalAccessToken> PersonalAccessTokens => Set<PersonalAccessToken>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<HostCredential> HostCredentials => Set<HostCredential>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Artifact> Artifacts => Set<Artifact>();

    public DbSet<Blob> Blobs => Set<Blob>();

    public DbSet<BlobChunk> BlobChunks => Set<BlobChunk>();

    public DbSet<ProviderRef> ProviderRefs => Set<ProviderRef>();

    public DbSet<UploadSession> UploadSessions => Set<UploadSession>();

    public DbSet<Application> Applications => Set<Application>();

    public DbSet<ApplicationVersion> ApplicationVersions => Set<ApplicationVersion>();

    public DbSet<Deployment> Deployments => Set<Deployment>();

    public DbSet<ApplicationEvent> ApplicationEvents => Set<ApplicationEvent>();

    public DbSet<Plan> Plans => Set<Plan>();

    public DbSet<PlanLimit> PlanLimits => Set<PlanLimit>();

    public DbSet<TenantPlan> TenantPlans => Set<TenantPlan>();

    public DbSet<TenantPlanOverride> TenantPlanOverrides => Set<TenantPlanOverride>();

    public DbSet<UsageRecord> UsageRecords => Set<UsageRecord>();

    public DbSet<InvocationMark> InvocationMarks => Set<InvocationMark>();

    public DbSet<Invoice> Invoices => Set<Invoice>();

    public DbSet<InvoiceLine> InvoiceLines => Set<InvoiceLine>();

    /// <summary>
    /// Every <see cref="ITenantOwned"/> query sees only this tenant's rows, and none while it is null:
    /// the filter fails closed. Set once per request (or console operation) by tenant resolution;
    /// platform-level code that must cross tenants says so with <c>IgnoreQueryFilters()</c>.
    /// </summary>
    public Guid? TenantScope { get; set; }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);

        foreach (var entity in builder.Model.GetEntityTypes().Where(e => typeof(ITenantOwned).IsAssignableFrom(e.ClrType)))
        {
            builder.Entity(entity.ClrType).HasQueryFilter(TenantFilter(entity.ClrType));
        }
    }

    // e => e.TenantId == this.TenantScope
    private LambdaExpression TenantFilter(Type type)
    {
        var e = Expression.Parameter(type, "e");
        var scope = Expression.Property(Expression.Constant(this), nameof(TenantScope));
        var tenantId = Expression.Convert(Expression.Property(e, nameof(ITenantOwned.TenantId)), typeof(Guid?));
        return Expression.Lambda(Expression.Equal(tenantId, scope), e);
    }
}
