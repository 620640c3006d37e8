using System.Text.Json.Serialization;

namespace Portal.Lattice.Control;

/// <summary>A host's answer to host.ping.</summary>
public sealed record HostInfo
{
    public string Id { get; init; } = "";

    public string FriendlyName { get; init; } = "";

    public Dictionary<string, string> Labels { get; init; } = [];

    public string Lattice { get; init; } = "";

    public string? RpcHost { get; init; }

    public string? CtlHost { get; init; }

    public string? JsDomain { get; init; }

    public string? UptimeHuman { get; init; }

    public ulong UptimeSeconds { get; init; }

    public string? Version { get; init; }
}

/// <summary>host.get's response and the data of every host_heartbeat event.</summary>
public sealed record HostInventory
{
    public List<ComponentDescription> Components { get; init; } = [];

    /// <summary>Legacy spelling of <see cref="Components"/> some hosts send; read only.</summary>
    [JsonPropertyName("actors")]
    public List<ComponentDescription>? Actors
    {
        get => null;
        init
        {
            if (value is not null) Components = value;
        }
    }

    public List<ProviderDescription> Providers { get; init; } = [];

    public string HostId { get; init; } = "";

    public string FriendlyName { get; init; } = "";

    public Dictionary<string, string> Labels { get; init; } = [];

    public string? Version { get; init; }

    public string? UptimeHuman { get; init; }

    public ulong UptimeSeconds { get; init; }
}

public sealed record ComponentDescription
{
    public string Id { get; init; } = "";

    public string ImageRef { get; init; } = "";

    public string? Name { get; init; }

    public Dictionary<string, string>? Annotations { get; init; }

    public int Revision { get; init; }

    /// <summary>Cap on concurrent executions on this host (the scale command's <c>count</c>).</summary>
    public uint MaxInstances { get; init; }

    /// <summary>Runtime limits; serialized even when null, as the host does.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public Dictionary<string, string>? Limits { get; init; }
}

public sealed record ProviderDescription
{
    public string Id { get; init; } = "";

    public string? ImageRef { get; init; }

    public string? Name { get; init; }

    public int Revision { get; init; }

    public Dictionary<string, string>? Annotations { get; init; }
}

/// <summary>host.stop body; send <c>{}</c> at least (1.0 hosts reject an empty payload).</summary>
public sealed record StopHostCommand
{
    public string? HostId { get; init; }

    /// <summary>Milliseconds allowed for a graceful stop.</summary>
    public ulong? Timeout { get; init; }
}

/// <summary>label.put body.</summary>
public sealed record HostLabel(string Key, string Value);

/// <summary>label.del body.</summary>
public sealed record HostLabelIdentifier(string Key);

/// <summary>registry.put values, keyed by registry host. Note the camelCase <c>registryType</c> on the wire.</summary>
public sealed record RegistryCredential
{
    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? Token { get; init; }

    [JsonPropertyName("registryType")]
    public string RegistryType { get; init; } = "oci";
}
