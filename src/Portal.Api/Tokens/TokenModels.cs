namespace Portal.Api.Tokens;

public sealed record CreateTokenRequest(string? Name, IReadOnlyList<string>? Scopes, int? ExpiresInDays);

public sealed record TokenResponse(Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, string Owner, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>A new token: <see cref="Token"/> is shown this once and cannot be recovered.</summary>
public sealed record CreatedTokenResponse(TokenResponse Metadata, string Token);
