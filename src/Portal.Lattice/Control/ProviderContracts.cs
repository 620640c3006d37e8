namespace Portal.Lattice.Control;

/// <summary>provider.start body.</summary>
public sealed record StartProviderCommand
{
    public required string ProviderId { get; init; }

    public string ProviderRef { get; init; } = "";

    public string HostId { get; init; } = "";

    public List<string> Config { get; init; } = [];

    public Dictionary<string, string>? Annotations { get; init; }
}

/// <summary>provider.stop body.</summary>
public sealed record StopProviderCommand
{
    public string HostId { get; init; } = "";

    public required string ProviderId { get; init; }
}

public sealed record ProviderAuctionRequest
{
    public string ProviderRef { get; init; } = "";

    public string ProviderId { get; init; } = "";

    public Dictionary<string, string> Constraints { get; init; } = [];
}

public sealed record ProviderAuctionAck
{
    public string HostId { get; init; } = "";

    public string ProviderRef { get; init; } = "";

    public string ProviderId { get; init; } = "";

    public Dictionary<string, string> Constraints { get; init; } = [];
}
