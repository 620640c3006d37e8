using Microsoft.AspNetCore.Identity;

namespace Portal.Data.Identity;

/// <summary>A person who signs in to the console. Identity columns come from ASP.NET Core Identity.</summary>
public sealed class PortalUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";

    /// <summary>Operates the platform itself (plans, all tenants), independent of tenant roles.</summary>
    public bool IsPlatformAdmin { get; set; }

    /// <summary>The console theme this user chose: <c>system</c>, <c>light</c> or <c>dark</c>.</summary>
    public string ThemePreference { get; set; } = "system";

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
