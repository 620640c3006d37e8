namespace Portal.Api;

/// <summary>Settings bound from the <c>Nats</c> configuration section.</summary>
public sealed class NatsOptions
{
    public const string Section = "Nats";

    /// <summary>The lattice bus, e.g. <c>nats://127.0.0.1:4222</c>.</summary>
    public string Url { get; set; } = "nats://127.0.0.1:4222";

    public string? User { get; set; }

    public string? Password { get; set; }
}
