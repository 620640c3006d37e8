using Portal.Lattice.Control;

namespace Portal.Lattice.Reconciliation;

/// <summary>
/// A command a scaler asks for (wadm's Command enum). Each maps to one control-interface call;
/// replies are acknowledgements only, the outcome arrives as an event (protocol notes 1.3).
/// </summary>
public abstract record LatticeCommand
{
    /// <summary>Sends it with <paramref name="client"/>. Throws what the client throws (timeouts, no responders).</summary>
    public abstract Task<CtlResponse<object>> SendAsync(LatticeClient client, CancellationToken cancellationToken = default);

    /// <summary>A short human line for timelines and plans.</summary>
    public abstract string Describe();

    /// <summary>The host it goes to, when it goes to one.</summary>
    public virtual string? HostId => null;
}

/// <summary>component.scale on one host; <see cref="Count"/> is the host's instance cap (0 stops it).</summary>
public sealed record ScaleComponent(
    string ComponentId, string ImageRef, string Host, uint Count,
    IReadOnlyDictionary<string, string> Annotations, IReadOnlyList<string> Config, bool AllowUpdate = false) : LatticeCommand
{
    public override string? HostId => Host;

    public override Task<CtlResponse<object>> SendAsync(LatticeClient client, CancellationToken cancellationToken = default) =>
        client.ScaleComponentAsync(new ScaleComponentCommand
        {
            ComponentId = ComponentId,
            ComponentRef = ImageRef,
            HostId = Host,
            MaxInstances = Count,
            Annotations = new Dictionary<string, string>(Annotations),
            Config = [.. Config],
            AllowUpdate = AllowUpdate,
        }, cancellationToken);

    public override string Describe() => $"scale {ComponentId} to {Count} on {Host}";
}

public sealed record StartProvider(
    string ProviderId, string ImageRef, string Host,
    IReadOnlyDictionary<string, string> Annotations, IReadOnlyList<string> Config) : LatticeCommand
{
    public override string? HostId => Host;

    public override Task<CtlResponse<object>> SendAsync(LatticeClient client, CancellationToken cancellationToken = default) =>
        client.StartProviderAsync(new StartProviderCommand
        {
            ProviderId = ProviderId,
            ProviderRef = ImageRef,
            HostId = Host,
            Annotations = new Dictionary<string, string>(Annotations),
            Config = [.. Config],
        }, cancellationToken);

    public override string Describe() => $"start provider {ProviderId} on {Host}";
}

public sealed record StopProvider(string ProviderId, string Host) : LatticeCommand
{
    public override string? HostId => Host;

    public override Task<CtlResponse<object>> SendAsync(LatticeClient client, CancellationToken cancellationToken = default) =>
        client.StopProviderAsync(new StopProviderCommand { ProviderId = ProviderId, HostId = Host }, cancellationToken);

    public override string Describe() => $"stop provider {ProviderId} on {Host}";
}

public sealed record PutLink(Link Link) : LatticeCommand
{
    public override Task<CtlResponse<object>> SendAsync(LatticeClient client, CancellationToken cancellationToken = default) =>
        client.PutLinkAsync(Link, cancellationToken);

    public override string Describe() =>
        $"put link {Link.SourceId} -({Link.WitNamespace}:{Link.WitPackage})-> {Link.Target}";
}

/// <summary>link.del: a link's identity is (source, namespace, package, name); the target is not part of it.</summary>
public sealed record DeleteLink(string SourceId, string Namespace, string Package, string Name) : LatticeCommand
{
    public override Task<CtlResponse<object>> SendAsync(LatticeClient client, CancellationToken cancellationToken = default) =>
        client.DeleteLinkAsync(new DeleteLinkRequest { SourceId = SourceId, WitNamespace = Namespace, WitPackage = Package, Name = Name }, cancellationToken);

    public override string Describe() => $"delete link {SourceId} ({Namespace}:{Package}, {Name})";
}

public sealed record PutConfig(string Name, IReadOnlyDictionary<string, string> Values) : LatticeCommand
{
    public override Task<CtlResponse<object>> SendAsync(LatticeClient client, CancellationToken cancellationToken = default) =>
        client.PutConfigAsync(Name, Values, cancellationToken);

    public override string Describe() => $"put config {Name}";
}

public sealed record DeleteConfig(string Name) : LatticeCommand
{
    public override Task<CtlResponse<object>> SendAsync(LatticeClient client, CancellationToken cancellationToken = default) =>
        client.DeleteConfigAsync(Name, cancellationToken);

    public override string Describe() => $"delete config {Name}";
}
