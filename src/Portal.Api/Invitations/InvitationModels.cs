namespace Portal.Api.Invitations;

public sealed record CreateInvitationRequest(string? Email, string? Role);

public sealed record InvitationResponse(Guid Id, string Email, string Role, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string Status);

/// <summary>The invitation as created: the link holds a secret that is shown only this once.</summary>
public sealed record CreatedInvitationResponse(InvitationResponse Invitation, string Link);

public sealed record AcceptedInvitationResponse(string Tenant, string Role);

/// <summary>What the invitation page shows before the invitee accepts.</summary>
public sealed record InvitationPreview(string TenantName, string Role, string Status);
