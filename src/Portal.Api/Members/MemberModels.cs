namespace Portal.Api.Members;

public sealed record MemberResponse(Guid UserId, string Email, string DisplayName, string Role, DateTimeOffset JoinedAt);

public sealed record ChangeRoleRequest(string? Role);
