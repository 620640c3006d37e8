namespace Portal.Api;

/// <summary>Settings bound from the <c>Nats</c> configuration section.</summary>
public sealed class NatsOptions
{
    public const string Section = "Nats";

    /// <summary>The lattice bus, e.g. <c>nats://127.0.0.1:4222</c>.</summary>
    public string Url { get; set; } = "nats://127.0.0.1:4222";

    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// The accounts file the portal writes for nats-server (included by its main configuration):
    /// one account per tenant, one user per host credential. Unset: host credentials are off.
    /// </summary>
    public string? AccountsFile { get; set; }

    /// <summary>nats-server's pid file; the portal signals it to reload after writing the accounts file.</summary>
    public string? PidFile { get; set; }

    /// <summary>The address hosts use to reach NATS, when it differs from <see cref="Url"/>.</summary>
    public string? HostUrl { get; set; }
}
