using System.Text.Json.Serialization;

namespace Portal.Lattice.Control;

// The data of each lattice event (lattice-protocol.md 2.2). host_heartbeat's data is HostInventory.

public sealed record HostStartedEvent
{
    public string FriendlyName { get; init; } = "";

    public Dictionary<string, string> Labels { get; init; } = [];

    public ulong UptimeSeconds { get; init; }

    public string? Version { get; init; }
}

public sealed record HostStoppedEvent
{
    public Dictionary<string, string> Labels { get; init; } = [];
}

public sealed record LabelsChangedEvent
{
    public string HostId { get; init; } = "";

    public Dictionary<string, string> Labels { get; init; } = [];
}

public sealed record ComponentScaledEvent
{
    public Dictionary<string, string>? Annotations { get; init; }

    public string HostId { get; init; } = "";

    public string ImageRef { get; init; } = "";

    public uint MaxInstances { get; init; }

    public string ComponentId { get; init; } = "";

    public string? PublicKey { get; init; }

    public Dictionary<string, object?>? Claims { get; init; }
}

public sealed record ComponentScaleFailedEvent
{
    public Dictionary<string, string>? Annotations { get; init; }

    public string ComponentId { get; init; } = "";

    public string HostId { get; init; } = "";

    public string ImageRef { get; init; } = "";

    public uint MaxInstances { get; init; }

    public string Error { get; init; } = "";

    public string? PublicKey { get; init; }
}

public sealed record ProviderStartedEvent
{
    public string HostId { get; init; } = "";

    public string ImageRef { get; init; } = "";

    public string ProviderId { get; init; } = "";

    public Dictionary<string, string>? Annotations { get; init; }

    public Dictionary<string, object?>? Claims { get; init; }

    public string? InstanceId { get; init; }

    public string? PublicKey { get; init; }

    public string? LinkName { get; init; }
}

public sealed record ProviderStartFailedEvent
{
    public string ProviderRef { get; init; } = "";

    public string ProviderId { get; init; } = "";

    public string HostId { get; init; } = "";

    public string Error { get; init; } = "";

    public string? LinkName { get; init; } = "default";
}

public sealed record ProviderStoppedEvent
{
    public string HostId { get; init; } = "";

    public string ProviderId { get; init; } = "";

    public Dictionary<string, string>? Annotations { get; init; }

    public string Reason { get; init; } = "stop";

    public string? InstanceId { get; init; }

    public string? PublicKey { get; init; }

    public string? LinkName { get; init; }
}

/// <summary>health_check_passed / _failed / _status.</summary>
public sealed record HealthCheckEvent
{
    public string HostId { get; init; } = "";

    public string ProviderId { get; init; } = "";
}

/// <summary>linkdef_set_failed: the link plus the error.</summary>
public sealed record LinkdefSetFailedEvent
{
    public string SourceId { get; init; } = "";

    public string Target { get; init; } = "";

    public string Name { get; init; } = "default";

    public string WitNamespace { get; init; } = "";

    public string WitPackage { get; init; } = "";

    public List<string> Interfaces { get; init; } = [];

    public List<string> SourceConfig { get; init; } = [];

    public List<string> TargetConfig { get; init; } = [];

    public string Error { get; init; } = "";
}

/// <summary>linkdef_deleted: target and interfaces only when the link existed.</summary>
public sealed record LinkdefDeletedEvent
{
    public string SourceId { get; init; } = "";

    public string Name { get; init; } = "default";

    public string WitNamespace { get; init; } = "";

    public string WitPackage { get; init; } = "";

    public string? Target { get; init; }

    public List<string>? Interfaces { get; init; }
}

/// <summary>config_set / config_deleted.</summary>
public sealed record ConfigEvent
{
    public string ConfigName { get; init; } = "";
}

/// <summary>Reply to a provider's health request on wasmbus.rpc.{lattice}.{provider}.health.</summary>
public sealed record HealthCheckResponse
{
    public bool Healthy { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }
}
