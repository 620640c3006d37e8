namespace Portal.Api;

/// <summary>Settings bound from the <c>Portal</c> configuration section (environment: <c>Portal__Key</c>).</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>Whether anyone may create an account from the sign-in page.</summary>
    public bool AllowSignUp { get; set; } = true;

    /// <summary>The longest lifetime a personal access token may be given.</summary>
    public int MaxTokenLifetimeDays { get; set; } = 365;

    /// <summary>How long an invitation link stays valid.</summary>
    public int InvitationLifetimeDays { get; set; } = 7;

    /// <summary>REST requests a token may make per minute (HTTP 429 beyond).</summary>
    public int RequestsPerMinutePerToken { get; set; } = 600;

    /// <summary>The portal's public address, used in links it hands out (invitations, password resets).</summary>
    public string PublicUrl { get; set; } = "http://127.0.0.1:5080";
}
