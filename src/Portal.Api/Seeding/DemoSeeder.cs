using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Api.Audit;
using Portal.Api.Lattices;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Data.Tenants;

namespace Portal.Api.Seeding;

/// <summary>The outcome of seeding: the admin's password is set only when it was just created or reset.</summary>
public sealed record SeedResult(string AdminEmail, string? AdminPassword, string TenantSlug, string LatticeId);

/// <summary>
/// Creates what <c>./portal up</c> promises a newcomer: a platform admin, a demo tenant they own,
/// and its <c>dev</c> lattice. Idempotent: a second run changes nothing unless asked to reset the password.
/// </summary>
public sealed class DemoSeeder(PortalDbContext db, UserManager<PortalUser> users, AuditWriter audit, PlanSeeder plans)
{
    public const string DemoTenantSlug = "demo";
    public const string DemoLatticeName = "dev";

    public async Task<SeedResult> SeedAsync(string adminEmail, bool resetPassword, CancellationToken cancellationToken = default)
    {
        // Plans first: the demo tenant is put on the default plan like any new tenant.
        await plans.SeedAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        string? password = null;

        var admin = await users.FindByEmailAsync(adminEmail);
        if (admin is null)
        {
            password = NewPassword();
            admin = new PortalUser { UserName = adminEmail, Email = adminEmail, EmailConfirmed = true, DisplayName = "Platform admin", IsPlatformAdmin = true };
            ThrowOnFailure(await users.CreateAsync(admin, password));
        }
        else if (resetPassword)
        {
            password = NewPassword();
            var token = await users.GeneratePasswordResetTokenAsync(admin);
            ThrowOnFailure(await users.ResetPasswordAsync(admin, token, password));
        }

        var tenant = await db.Tenants.IgnoreQueryFilters().Include(t => t.Lattices).SingleOrDefaultAsync(t => t.Slug == DemoTenantSlug, cancellationToken);
        if (tenant is null)
        {
            tenant = new Tenant { Slug = DemoTenantSlug, DisplayName = "Demo" };
            tenant.Lattices.Add(new Portal.Data.Tenants.Lattice { Name = DemoLatticeName, LatticeId = LatticeService.LatticeIdFor(DemoTenantSlug, DemoLatticeName) });
            tenant.Members.Add(new Membership { UserId = admin.Id, Role = TenantRole.Owner });
            db.Tenants.Add(tenant);
            var plan = await db.Plans.Where(p => p.IsDefault).Select(p => (Guid?)p.Id).SingleOrDefaultAsync(cancellationToken);
            if (plan is { } planId) db.TenantPlans.Add(new Portal.Data.Billing.TenantPlan { TenantId = tenant.Id, PlanId = planId, AssignedBy = "system" });
            await audit.AppendAsync(
                new AuditEntry(tenant.Id, "tenant.create", "tenant", tenant.Slug, After: new { tenant.Slug, tenant.DisplayName, owner = adminEmail }),
                AuditActor.System("portal seed"),
                cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SeedResult(adminEmail, password, tenant.Slug, tenant.Lattices.First(l => l.Name == DemoLatticeName).LatticeId);
    }

    // 18 random bytes: 24 URL-safe characters, easy to copy from a terminal.
    private static string NewPassword() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18));

    private static void ThrowOnFailure(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
