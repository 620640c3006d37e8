using Microsoft.AspNetCore.Components.Authorization;
using Portal.Api.Http;
using Portal.Api.Identity;
using Portal.Api.Tenants;
using Portal.Api.Tenants.Access;

namespace Portal.Web.Components.Shell;

/// <summary>
/// The signed-in person and the tenant they work in, for one console circuit, and the way pages
/// call the application: each operation runs in a DI scope of its own (a circuit lives long and
/// renders components concurrently; one shared DbContext would be used by two at once), scoped to
/// the current tenant, through the same services the REST API uses, so the console is held to
/// the same roles, validation and audit.
/// </summary>
public sealed class ConsoleSession(AuthenticationStateProvider authentication, IServiceScopeFactory scopes, IHttpContextAccessor http)
{
    public const string TenantCookie = "portal.tenant";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string? _preferredSlug = http.HttpContext?.Request.Cookies[TenantCookie];
    private CurrentPrincipal? _principal;
    private IReadOnlyList<TenantResponse>? _tenants;
    private TenantContext? _current;
    private bool _resolved;

    public async Task<CurrentPrincipal?> PrincipalAsync()
    {
        if (_principal is not null) return _principal;
        var state = await authentication.GetAuthenticationStateAsync();
        return _principal = CurrentPrincipal.From(state.User, http.HttpContext);
    }

    public async Task<IReadOnlyList<TenantResponse>> TenantsAsync()
    {
        await ResolveAsync();
        return _tenants!;
    }

    /// <summary>The tenant chosen in the switcher (remembered in a cookie), else the first one; null when the user has none.</summary>
    public async Task<TenantContext?> CurrentTenantAsync()
    {
        await ResolveAsync();
        return _current;
    }

    /// <summary>
    /// Runs <paramref name="action"/> with <typeparamref name="TService"/> on the current tenant. The
    /// membership is resolved again for every operation: a member removed or demoted in another
    /// browser loses the access at once, not when this circuit ends.
    /// </summary>
    public async Task<T> RunAsync<TService, T>(Func<TService, TenantContext, Task<T>> action) where TService : notnull
    {
        var tenant = await CurrentTenantAsync() ?? throw new NotFoundException("Create or join a tenant first.");
        await using var scope = scopes.CreateAsyncScope();
        var current = await scope.ServiceProvider.GetRequiredService<TenantAccess>().ResolveAsync(tenant.Slug, tenant.Principal);
        return await action(scope.ServiceProvider.GetRequiredService<TService>(), current);
    }

    public Task RunAsync<TService>(Func<TService, TenantContext, Task> action) where TService : notnull =>
        RunAsync<TService, bool>(async (service, tenant) => { await action(service, tenant); return true; });

    /// <summary>Runs <paramref name="action"/> outside any tenant (creating a tenant, accepting an invitation, account settings).</summary>
    public async Task<T> UseAsync<TService, T>(Func<TService, Task<T>> action) where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private async Task ResolveAsync()
    {
        if (_resolved) return;
        await _gate.WaitAsync();
        try
        {
            if (_resolved) return;
            var principal = await PrincipalAsync();
            _tenants = principal is null ? [] : await UseAsync<TenantService, IReadOnlyList<TenantResponse>>(t => t.ListMineAsync(principal));
            if (principal is not null && _tenants.Count > 0)
            {
                var slug = _tenants.Any(t => t.Slug == _preferredSlug) ? _preferredSlug! : _tenants[0].Slug;
                _current = await UseAsync<TenantAccess, TenantContext>(a => a.ResolveAsync(slug, principal));
            }

            _resolved = true;
        }
        finally
        {
            _gate.Release();
        }
    }
}
