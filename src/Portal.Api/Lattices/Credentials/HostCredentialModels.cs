namespace Portal.Api.Lattices.Credentials;

public sealed record IssueCredentialRequest(string? Name);

public sealed record HostCredentialResponse(Guid Id, string Name, string NatsUser, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A new credential: the password and the join command are shown this once.</summary>
public sealed record IssuedCredentialResponse(HostCredentialResponse Credential, string NatsUrl, string Password, string JoinCommand);
