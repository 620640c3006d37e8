using Microsoft.AspNetCore.Components.Authorization;
using Portal.Api.Identity;
using Portal.Api.Tenants;
using Portal.Api.Tenants.Access;

namespace Portal.Web.Components.Shell;

/// <summary>
/// The signed-in person and the tenant they are working in, for one console circuit. Pages get a
/// <see cref="TenantContext"/> from here and pass it to the same services the REST API uses, so
/// the console is held to the same roles, validation and audit.
/// </summary>
public sealed class ConsoleSession(AuthenticationStateProvider authentication, TenantService tenants, TenantAccess access, IHttpContextAccessor http)
{
    public const string TenantCookie = "portal.tenant";

    private CurrentPrincipal? _principal;
    private IReadOnlyList<TenantResponse>? _tenants;
    private TenantContext? _current;

    public async Task<CurrentPrincipal?> PrincipalAsync()
    {
        if (_principal is not null) return _principal;
        var state = await authentication.GetAuthenticationStateAsync();
        return _principal = CurrentPrincipal.From(state.User, http.HttpContext);
    }

    public async Task<IReadOnlyList<TenantResponse>> TenantsAsync()
    {
        if (_tenants is not null) return _tenants;
        var principal = await PrincipalAsync();
        return _tenants = principal is null ? [] : await tenants.ListMineAsync(principal);
    }

    /// <summary>The tenant chosen in the switcher (remembered in a cookie), else the first one; null when the user has none.</summary>
    public async Task<TenantContext?> CurrentTenantAsync(string? preferredSlug = null)
    {
        if (_current is not null && (preferredSlug is null || preferredSlug == _current.Slug)) return _current;
        var principal = await PrincipalAsync();
        var mine = await TenantsAsync();
        if (principal is null || mine.Count == 0) return null;
        preferredSlug ??= http.HttpContext?.Request.Cookies[TenantCookie];
        var slug = mine.Any(t => t.Slug == preferredSlug) ? preferredSlug! : mine[0].Slug;
        return _current = await access.ResolveAsync(slug, principal);
    }

    /// <summary>Forget cached tenants after a change (tenant created, invitation accepted).</summary>
    public void Invalidate()
    {
        _tenants = null;
        _current = null;
    }
}
