using Microsoft.AspNetCore.Http;
using Portal.Api.Identity;

namespace Portal.Api.Account;

/// <summary>One event of a person's account history, as the Security settings list it.</summary>
public sealed record AccountEventResponse(long Sequence, DateTimeOffset OccurredAt, string Action, string? Detail, string? IpAddress, string? UserAgent);

/// <summary>Where an account action came from, recorded with it.</summary>
public sealed record RequestOrigin(string? IpAddress, string? UserAgent, string? CorrelationId)
{
    public static RequestOrigin From(HttpContext? http) => new(
        http?.Connection.RemoteIpAddress?.ToString(),
        http?.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua[..Math.Min(ua.Length, 400)] : null,
        System.Diagnostics.Activity.Current?.TraceId.ToString() ?? http?.TraceIdentifier);

    /// <summary>For the console, whose operations run after the HTTP request that opened it.</summary>
    public static RequestOrigin From(CurrentPrincipal principal) => new(principal.IpAddress, principal.UserAgent, principal.CorrelationId);
}
