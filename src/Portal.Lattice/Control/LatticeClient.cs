using System.Runtime.CompilerServices;
using System.Text.Json;
using Portal.Lattice.Nats;

namespace Portal.Lattice.Control;

/// <summary>
/// The wasmCloud 1.x control interface of one lattice. Commands return the host's
/// <see cref="CtlResponse{T}"/> as is (success false is not an exception): hosts acknowledge
/// before doing the work, so callers that need the outcome watch events.
/// Transport failures throw (<see cref="NatsNoRespondersException"/>, <see cref="NatsRequestTimeoutException"/>).
/// </summary>
public sealed class LatticeClient(NatsConnection connection, LatticeClientOptions? options = null)
{
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    public LatticeClientOptions Options { get; } = options ?? new LatticeClientOptions();

    public LatticeSubjects Subjects { get; } = new((options ?? new LatticeClientOptions()).Lattice, options?.TopicPrefix);

    public NatsConnection Connection { get; } = connection;

    // ------------------------------------------------------------------ hosts

    /// <summary>Every host that answers host.ping within the auction window.</summary>
    public async Task<IReadOnlyList<HostInfo>> PingHostsAsync(CancellationToken cancellationToken = default)
    {
        var hosts = new List<HostInfo>();
        await foreach (var host in GatherAsync<HostInfo>(Subjects.HostPing, ReadOnlyMemory<byte>.Empty, cancellationToken)) hosts.Add(host);
        return hosts;
    }

    public Task<CtlResponse<HostInventory>> GetHostInventoryAsync(string hostId, CancellationToken cancellationToken = default) =>
        RequestAsync<HostInventory>(Subjects.HostGet(hostId), ReadOnlyMemory<byte>.Empty, cancellationToken);

    public Task<CtlResponse<object>> StopHostAsync(string hostId, ulong? timeoutMs = null, CancellationToken cancellationToken = default) =>
        RequestAsync<object>(Subjects.HostStop(hostId), LatticeJson.Serialize(new StopHostCommand { HostId = hostId, Timeout = timeoutMs }), cancellationToken);

    public Task<CtlResponse<object>> PutLabelAsync(string hostId, string key, string value, CancellationToken cancellationToken = default) =>
        RequestAsync<object>(Subjects.LabelPut(hostId), LatticeJson.Serialize(new HostLabel(key, value)), cancellationToken);

    public Task<CtlResponse<object>> DeleteLabelAsync(string hostId, string key, CancellationToken cancellationToken = default) =>
        RequestAsync<object>(Subjects.LabelDel(hostId), LatticeJson.Serialize(new HostLabelIdentifier(key)), cancellationToken);

    // ------------------------------------------------------------------ components and providers

    /// <summary>Scales on <see cref="ScaleComponentCommand.HostId"/> (required: it is the subject's host).</summary>
    public Task<CtlResponse<object>> ScaleComponentAsync(ScaleComponentCommand command, CancellationToken cancellationToken = default) =>
        RequestAsync<object>(Subjects.ComponentScale(RequireHost(command.HostId)), LatticeJson.Serialize(command), cancellationToken);

    public Task<CtlResponse<object>> UpdateComponentAsync(UpdateComponentCommand command, CancellationToken cancellationToken = default) =>
        RequestAsync<object>(Subjects.ComponentUpdate(RequireHost(command.HostId)), LatticeJson.Serialize(command), cancellationToken);

    public Task<CtlResponse<object>> StartProviderAsync(StartProviderCommand command, CancellationToken cancellationToken = default) =>
        RequestAsync<object>(Subjects.ProviderStart(RequireHost(command.HostId)), LatticeJson.Serialize(command), cancellationToken);

    public Task<CtlResponse<object>> StopProviderAsync(StopProviderCommand command, CancellationToken cancellationToken = default) =>
        RequestAsync<object>(Subjects.ProviderStop(RequireHost(command.HostId)), LatticeJson.Serialize(command), cancellationToken);

    /// <summary>Hosts willing to run the component (all constraints match their labels).</summary>
    public async Task<IReadOnlyList<ComponentAuctionAck>> AuctionComponentAsync(ComponentAuctionRequest request, CancellationToken cancellationToken = default)
    {
        var acks = new List<ComponentAuctionAck>();
        await foreach (var ack in GatherAsync<ComponentAuctionAck>(Subjects.ComponentAuction, LatticeJson.Serialize(request), cancellationToken)) acks.Add(ack);
        return acks;
    }

    public async Task<IReadOnlyList<ProviderAuctionAck>> AuctionProviderAsync(ProviderAuctionRequest request, CancellationToken cancellationToken = default)
    {
        var acks = new List<ProviderAuctionAck>();
        await foreach (var ack in GatherAsync<ProviderAuctionAck>(Subjects.ProviderAuction, LatticeJson.Serialize(request), cancellationToken)) acks.Add(ack);
        return acks;
    }

    // ------------------------------------------------------------------ links, config, claims, registries

    public Task<CtlResponse<object>> PutLinkAsync(Link link, CancellationToken cancellationToken = default) =>
        RequestAsync<object>(Subjects.LinkPut, LatticeJson.Serialize(link), cancellationToken);

    public Task<CtlResponse<object>> DeleteLinkAsync(DeleteLinkRequest request, CancellationToken cancellationToken = default) =>
        RequestAsync<object>(Subjects.LinkDel, LatticeJson.Serialize(request), cancellationToken);

    public Task<CtlResponse<List<Link>>> GetLinksAsync(CancellationToken cancellationToken = default) =>
        RequestAsync<List<Link>>(Subjects.LinkGet, ReadOnlyMemory<byte>.Empty, cancellationToken);

    public Task<CtlResponse<object>> PutConfigAsync(string name, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken = default) =>
        RequestAsync<object>(Subjects.ConfigPut(RequireToken(name)), LatticeJson.Serialize(values), cancellationToken);

    /// <summary>A missing config is success with message "Configuration not found" and no response.</summary>
    public Task<CtlResponse<Dictionary<string, string>>> GetConfigAsync(string name, CancellationToken cancellationToken = default) =>
        RequestAsync<Dictionary<string, string>>(Subjects.ConfigGet(RequireToken(name)), ReadOnlyMemory<byte>.Empty, cancellationToken);

    public Task<CtlResponse<object>> DeleteConfigAsync(string name, CancellationToken cancellationToken = default) =>
        RequestAsync<object>(Subjects.ConfigDel(RequireToken(name)), ReadOnlyMemory<byte>.Empty, cancellationToken);

    public Task<CtlResponse<List<Dictionary<string, string>>>> GetClaimsAsync(CancellationToken cancellationToken = default) =>
        RequestAsync<List<Dictionary<string, string>>>(Subjects.ClaimsGet, ReadOnlyMemory<byte>.Empty, cancellationToken);

    /// <summary>Fire and forget to every host, like the Rust client (which fabricates the success).</summary>
    public async Task<CtlResponse<object>> PutRegistriesAsync(IReadOnlyDictionary<string, RegistryCredential> registries, CancellationToken cancellationToken = default)
    {
        await Connection.PublishAsync(Subjects.RegistryPut, LatticeJson.Serialize(registries), cancellationToken: cancellationToken);
        return CtlResponse.Ok();
    }

    // ------------------------------------------------------------------ plumbing

    private async Task<CtlResponse<T>> RequestAsync<T>(string subject, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var reply = await Connection.RequestAsync(subject, body, timeout: Options.Timeout, cancellationToken: cancellationToken);
        try
        {
            return LatticeJson.Deserialize<CtlResponse<T>>(reply.Data.Span) ?? throw new LatticeProtocolException(subject, "empty reply");
        }
        catch (JsonException e)
        {
            throw new LatticeProtocolException(subject, e.Message, e);
        }
    }

    /// <summary>
    /// Scatter-gather as the Rust client does it: wait the whole window, stop early on an empty
    /// payload or on a reply that does not parse. Failed envelopes (success false) are skipped.
    /// </summary>
    private async IAsyncEnumerable<T> GatherAsync<T>(string subject, ReadOnlyMemory<byte> body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var opts = new NatsRequestManyOpts { Timeout = Options.AuctionTimeout, StopOnEmptyPayload = true };
        await foreach (var reply in Connection.RequestManyAsync(subject, body, opts: opts, cancellationToken: cancellationToken))
        {
            CtlResponse<T>? envelope;
            try
            {
                envelope = LatticeJson.Deserialize<CtlResponse<T>>(reply.Data.Span);
            }
            catch (JsonException)
            {
                yield break;
            }

            if (envelope is { Success: true, Response: { } value }) yield return value;
        }
    }

    private static string RequireHost(string hostId) =>
        string.IsNullOrWhiteSpace(hostId) ? throw new ArgumentException("host_id is required: it selects the host's subject") : RequireToken(hostId);

    private static string RequireToken(string token) =>
        string.IsNullOrEmpty(token) || token.AsSpan().IndexOfAny(". *>\t") >= 0 ? throw new ArgumentException($"'{token}' must be a single subject token") : token;
}

/// <summary>A reply that is not a control-interface envelope.</summary>
public sealed class LatticeProtocolException(string subject, string detail, Exception? inner = null)
    : Exception($"bad control-interface reply on '{subject}': {detail}", inner);
