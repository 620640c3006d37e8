namespace Portal.Lattice.Control;

/// <summary>
/// Control-interface subjects of one lattice: <c>{prefix}.v1.{lattice}.{category}.{operation}[.{arg}]</c>
/// (prefix default <c>wasmbus.ctl</c>), and event subjects, which ignore the prefix.
/// </summary>
public sealed class LatticeSubjects
{
    public const string DefaultPrefix = "wasmbus.ctl";
    public const string DefaultLattice = "default";

    public LatticeSubjects(string lattice = DefaultLattice, string? topicPrefix = null)
    {
        if (string.IsNullOrWhiteSpace(lattice) || lattice.AsSpan().IndexOfAny(". *>\t") >= 0)
            throw new ArgumentException($"lattice id '{lattice}' must be a single subject token", nameof(lattice));
        Lattice = lattice;
        TopicPrefix = string.IsNullOrEmpty(topicPrefix) ? DefaultPrefix : topicPrefix;
        Root = $"{TopicPrefix}.v1.{lattice}";
    }

    public string Lattice { get; }

    public string TopicPrefix { get; }

    /// <summary><c>{prefix}.v1.{lattice}</c> ("P" in the protocol notes).</summary>
    public string Root { get; }

    public string HostPing => $"{Root}.host.ping";

    public string HostGet(string hostId) => $"{Root}.host.get.{hostId}";

    public string HostStop(string hostId) => $"{Root}.host.stop.{hostId}";

    public string LabelPut(string hostId) => $"{Root}.label.put.{hostId}";

    public string LabelDel(string hostId) => $"{Root}.label.del.{hostId}";

    public string ComponentScale(string hostId) => $"{Root}.component.scale.{hostId}";

    public string ComponentUpdate(string hostId) => $"{Root}.component.update.{hostId}";

    public string ComponentAuction => $"{Root}.component.auction";

    public string ProviderAuction => $"{Root}.provider.auction";

    public string ProviderStart(string hostId) => $"{Root}.provider.start.{hostId}";

    public string ProviderStop(string hostId) => $"{Root}.provider.stop.{hostId}";

    public string LinkPut => $"{Root}.link.put";

    public string LinkDel => $"{Root}.link.del";

    public string LinkGet => $"{Root}.link.get";

    public string ConfigPut(string name) => $"{Root}.config.put.{name}";

    public string ConfigGet(string name) => $"{Root}.config.get.{name}";

    public string ConfigDel(string name) => $"{Root}.config.del.{name}";

    public string ClaimsGet => $"{Root}.claims.get";

    public string RegistryPut => $"{Root}.registry.put";

    /// <summary><c>wasmbus.evt.{lattice}.&gt;</c>: every event of the lattice.</summary>
    public string AllEvents => $"wasmbus.evt.{Lattice}.>";

    public string Event(string eventName) => $"wasmbus.evt.{Lattice}.{eventName}";

    /// <summary>What a 1.x host subscribes to (protocol 1.2): filter and queue group (null = every host gets it).</summary>
    public IReadOnlyList<(string Filter, string? QueueGroup)> HostSubscriptions(string hostId, bool componentAuction = true, bool providerAuction = true)
    {
        var list = new List<(string, string?)>
        {
            ($"{Root}.registry.put", null),
            (HostPing, null),
            ($"{Root}.link.*", $"{Root}.link"),
            (ClaimsGet, $"{Root}.claims"),
            ($"{Root}.component.*.{hostId}", null),
            ($"{Root}.provider.*.{hostId}", null),
            ($"{Root}.label.*.{hostId}", null),
            ($"{Root}.host.*.{hostId}", null),
            ($"{Root}.config.>", $"{Root}.config"),
        };
        if (componentAuction) list.Add((ComponentAuction, null));
        if (providerAuction) list.Add((ProviderAuction, null));
        return list;
    }

    /// <summary>Shared link/claims bucket (JetStream KV) of the lattice.</summary>
    public string LatticeDataBucket => $"LATTICEDATA_{Lattice}";

    /// <summary>Named config bucket (JetStream KV) of the lattice.</summary>
    public string ConfigDataBucket => $"CONFIGDATA_{Lattice}";

    /// <summary>
    /// Components' key-value data (wasi:keyvalue through our built-in provider): one bucket per
    /// lattice, each link's logical bucket a key prefix in it. Ours, not a wasmCloud name.
    /// </summary>
    public string KeyValueDataBucket => $"KEYVALUE_{Lattice}";
}
