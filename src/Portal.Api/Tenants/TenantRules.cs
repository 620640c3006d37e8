using System.Text.RegularExpressions;
using Portal.Api.Http;

namespace Portal.Api.Tenants;

/// <summary>What makes a tenant's slug and name acceptable.</summary>
public static partial class TenantRules
{
    /// <summary>Slugs appear in URLs, image refs and NATS subjects: lower-case letters, digits and single hyphens.</summary>
    [GeneratedRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    private static readonly HashSet<string> Reserved = ["admin", "api", "v2", "system", "portal", "new", "settings"];

    public static void Validate(FieldErrors errors, string? slug, string? displayName, bool creating)
    {
        if (creating)
        {
            if (string.IsNullOrWhiteSpace(slug)) errors.Add("slug", "Slug is required.");
            else if (slug.Length is < 2 or > 40) errors.Add("slug", "Slug must be 2 to 40 characters.");
            else if (!SlugPattern().IsMatch(slug)) errors.Add("slug", "Slug may contain lower-case letters, digits and single hyphens, and must start with a letter.");
            else if (Reserved.Contains(slug)) errors.Add("slug", $"'{slug}' is reserved.");
        }

        if (creating || displayName is not null)
        {
            if (string.IsNullOrWhiteSpace(displayName)) errors.Add("displayName", "Display name is required.");
            else if (displayName.Trim().Length > 120) errors.Add("displayName", "Display name must be at most 120 characters.");
        }
    }
}
