using Portal.Data.Identity;

namespace Portal.Data.Tokens;

/// <summary>
/// A bearer token for the REST API, issued by a user for one tenant. Only a SHA-256 hash of the
/// secret is stored; the token itself is shown once, when it is created.
/// </summary>
public sealed class PersonalAccessToken : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid TenantId { get; set; }

    public Guid UserId { get; set; }

    public PortalUser? User { get; set; }

    public required string Name { get; set; }

    /// <summary>Space-separated scopes: <c>read</c>, <c>write</c>, <c>deploy</c>, <c>admin</c>.</summary>
    public required string Scopes { get; set; }

    /// <summary>Hex SHA-256 of the secret part of the token.</summary>
    public required string SecretHash { get; set; }

    /// <summary>The first characters of the token, to tell tokens apart in lists.</summary>
    public required string Prefix { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
