using System.Text.Json.Serialization;

namespace Portal.Lattice.Control;

/// <summary>
/// component.scale body. The instance cap is spelled <c>count</c> on the wire: a body with
/// <c>max_instances</c> instead is read by hosts as count 0, which stops the component.
/// </summary>
public sealed record ScaleComponentCommand
{
    public string ComponentRef { get; init; } = "";

    public required string ComponentId { get; init; }

    public Dictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("count")]
    public uint MaxInstances { get; init; }

    /// <summary>Always the subject's host id: hosts echo it into events.</summary>
    public string HostId { get; init; } = "";

    public List<string> Config { get; init; } = [];

    public bool AllowUpdate { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public Dictionary<string, string>? ComponentLimits { get; init; }
}

/// <summary>component.update body.</summary>
public sealed record UpdateComponentCommand
{
    public string HostId { get; init; } = "";

    public required string ComponentId { get; init; }

    public required string NewComponentRef { get; init; }

    public Dictionary<string, string>? Annotations { get; init; }
}

/// <summary>component.auction body (<c>constraints</c> is required, may be empty).</summary>
public sealed record ComponentAuctionRequest
{
    public string ComponentRef { get; init; } = "";

    public string ComponentId { get; init; } = "";

    public Dictionary<string, string> Constraints { get; init; } = [];
}

public sealed record ComponentAuctionAck
{
    public string ComponentRef { get; init; } = "";

    public string ComponentId { get; init; } = "";

    public string HostId { get; init; } = "";

    public Dictionary<string, string> Constraints { get; init; } = [];
}
