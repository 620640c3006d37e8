using System.Net.Http.Headers;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portal.Api.Identity;
using Portal.Api.Tenants;
using Portal.Api.Tenants.Access;
using Portal.Api.Tokens;
using Portal.Data.Identity;
using Portal.Data.Tenants;

namespace Portal.Testing;

/// <summary>
/// Arranges users, tenants, memberships and tokens through the portal's own services, so tests
/// start from states the product itself can produce.
/// </summary>
public sealed class PortalScenario(PortalWebFactory portal)
{
    public const string Password = "correct-horse-battery-staple";

    public async Task<PortalUser> UserAsync(string email)
    {
        return await portal.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<PortalUser>>();
            var user = await users.FindByEmailAsync(email);
            if (user is not null) return user;
            user = new PortalUser { UserName = email, Email = email, DisplayName = email.Split('@')[0], EmailConfirmed = true };
            var result = await users.CreateAsync(user, Password);
            if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
            return user;
        });
    }

    public static CurrentPrincipal Principal(PortalUser user) => new(user.Id, user.Email!, null, null, TokenScopes.All, user.IsPlatformAdmin);

    /// <summary>A tenant owned by <paramref name="owner"/>, created through <see cref="TenantService"/>.</summary>
    public Task<TenantResponse> TenantAsync(PortalUser owner, string slug) =>
        portal.WithScopeAsync(sp => sp.GetRequiredService<TenantService>().CreateAsync(Principal(owner), new CreateTenantRequest(slug, slug.ToUpperInvariant())));

    public async Task AddMemberAsync(string slug, PortalUser user, TenantRole role)
    {
        await using var db = portal.CreateDbContext();
        var tenant = db.Tenants.Single(t => t.Slug == slug);
        db.Memberships.Add(new Membership { TenantId = tenant.Id, UserId = user.Id, Role = role });
        await db.SaveChangesAsync();
    }

    public Task<TenantContext> ContextAsync(string slug, PortalUser user) =>
        portal.WithScopeAsync(sp => sp.GetRequiredService<TenantAccess>().ResolveAsync(slug, Principal(user)));

    /// <summary>A personal access token of <paramref name="user"/> in <paramref name="slug"/> with these scopes.</summary>
    public async Task<string> TokenAsync(string slug, PortalUser user, params string[] scopes)
    {
        var context = await ContextAsync(slug, user);
        var created = await portal.WithScopeAsync(sp => sp.GetRequiredService<TokenService>().CreateAsync(context, new CreateTokenRequest("test", scopes, 7)));
        return created.Token;
    }

    public HttpClient Client(string? token = null)
    {
        var client = portal.CreateClient();
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
