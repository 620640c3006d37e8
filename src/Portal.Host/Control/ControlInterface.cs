using System.Text.Json;
using Microsoft.Extensions.Logging;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;

namespace Portal.Host.Control;

/// <summary>
/// The host's side of control interface v1: the subscriptions and queue groups of protocol 1.2,
/// dispatch on <c>(category, operation, argument)</c> after the prefix, version and lattice tokens,
/// and a <see cref="CtlResponse{T}"/> for every request. Messages of one subscription are handled
/// in order (label put then del stays in order); long work (scale, provider start) is acknowledged
/// first and runs in the background, as on a 1.x host.
/// </summary>
public sealed partial class ControlInterface(LatticeHost host, NatsConnection connection, LatticeSubjects subjects, ILogger logger) : IAsyncDisposable
{
    private readonly List<NatsSubscription> _subscriptions = [];
    private readonly List<Task> _loops = [];
    private readonly CancellationTokenSource _stop = new();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (filter, queue) in subjects.HostSubscriptions(host.HostId, host.Options.ComponentAuction, host.Options.ProviderAuction))
        {
            var subscription = await connection.SubscribeAsync(filter, queue, cancellationToken);
            _subscriptions.Add(subscription);
            _loops.Add(ServeAsync(subscription));
        }

        await connection.FlushAsync(cancellationToken);
    }

    private async Task ServeAsync(NatsSubscription subscription)
    {
        try
        {
            await foreach (var msg in subscription.WithCancellation(_stop.Token))
            {
                try
                {
                    await DispatchAsync(msg, _stop.Token);
                }
                catch (ControlRequestException e)
                {
                    logger.LogWarning("Refused {Subject}: {Error} ({Detail})", msg.Subject, e.Message, e.Detail);
                    await TryReplyAsync(msg, CtlResponse.Error(e.Message));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Control request on {Subject} failed", msg.Subject);
                    await TryReplyAsync(msg, CtlResponse.Error(e.Message));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task DispatchAsync(NatsMsg msg, CancellationToken ct)
    {
        // {prefix}.v1.{lattice}.{category}.{operation}[.{argument}]: the prefix may itself hold dots.
        var rest = msg.Subject.StartsWith(subjects.TopicPrefix + ".", StringComparison.Ordinal) ? msg.Subject[(subjects.TopicPrefix.Length + 1)..] : "";
        var tokens = rest.Split('.');
        if (tokens.Length < 4 || tokens.Length > 5)
        {
            await ReplyAsync(msg, CtlResponse.Error("unsupported subject"));
            return;
        }

        var argument = tokens.Length == 5 ? tokens[4] : null;
        var reply = (tokens[2], tokens[3], argument) switch
        {
            ("host", "ping", null) => (object?)CtlResponse<HostInfo>.Ok(host.Info()),
            ("host", "get", not null) => CtlResponse<HostInventory>.Ok(host.Inventory()),
            ("host", "stop", not null) => StopHost(msg),
            ("label", "put", not null) => await PutLabelAsync(msg, ct),
            ("label", "del", not null) => await DeleteLabelAsync(msg, ct),
            ("component", "scale", not null) => ScaleComponent(msg),
            ("component", "update", not null) => UpdateComponent(msg),
            ("component", "auction", null) => AuctionComponent(msg),
            ("provider", "auction", null) => AuctionProvider(msg),
            ("provider", "start", not null) => StartProvider(msg),
            ("provider", "stop", not null) => await StopProviderAsync(msg, ct),
            ("link", "put", null) => await PutLinkAsync(msg, ct),
            ("link", "del", null) => await DeleteLinkAsync(msg, ct),
            ("link", "get", null) => CtlResponse<List<Link>>.Ok(host.Store.Links),
            ("config", "put", not null) => await PutConfigAsync(msg, argument!, ct),
            ("config", "get", not null) => await GetConfigAsync(argument!, ct),
            ("config", "del", not null) => await DeleteConfigAsync(argument!, ct),
            ("claims", "get", null) => CtlResponse<List<Dictionary<string, string>>>.Ok(ClaimsEntries()),
            ("registry", "put", null) => PutRegistries(msg),
            _ => CtlResponse.Error("unsupported subject"),
        };

        // Auctions are answered only by hosts that can take the work.
        if (reply is not null) await ReplyAsync(msg, reply);
    }

    /// <summary>claims.get: every signed component's claims in the lattice (queue group: any host answers for all), legacy duplicate keys added.</summary>
    private List<Dictionary<string, string>> ClaimsEntries() =>
        host.Store.Claims.Select(c =>
        {
            foreach (var (legacy, key) in new[] { ("iss", "issuer"), ("sub", "subject"), ("rev", "revision") })
            {
                if (c.TryGetValue(key, out var value)) c[legacy] = value;
            }

            return c;
        }).ToList();

    /// <summary>Reads a request body, or null (and the reply already sent) when it does not deserialize.</summary>
    private static T? Read<T>(NatsMsg msg, string what, bool emptyIsDefault = false) where T : class
    {
        if (msg.Data.IsEmpty && emptyIsDefault) return null;
        try
        {
            return LatticeJson.Deserialize<T>(msg.Data.Span) ?? throw new JsonException("null body");
        }
        catch (JsonException e)
        {
            // The reply carries the outermost error text only, as a 1.x host's does; the detail goes to the log.
            throw new ControlRequestException($"failed to deserialize {what}", e.Message);
        }
    }

    private static async Task ReplyAsync(NatsMsg msg, object reply)
    {
        if (msg.ReplyTo is null) return;
        await msg.ReplyAsync(JsonSerializer.SerializeToUtf8Bytes(reply, reply.GetType(), LatticeJson.Options));
    }

    private async Task TryReplyAsync(NatsMsg msg, object reply)
    {
        try
        {
            await ReplyAsync(msg, reply);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogDebug(e, "Could not answer {Subject}", msg.Subject);
        }
    }

    /// <summary>Runs acknowledged work in the background, logging what escapes it.</summary>
    private void Background(string what, Func<CancellationToken, Task> work) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await work(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                logger.LogError(e, "{What} failed", what);
            }
        });

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var subscription in _subscriptions)
        {
            try
            {
                await subscription.DisposeAsync();
            }
            catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or NatsException)
            {
            }
        }

        await Task.WhenAll(_loops);
        _stop.Dispose();
    }
}

/// <summary>A request the host refuses with a message (bad body, invalid values): answered as success false.</summary>
public sealed class ControlRequestException(string message, string? detail = null) : Exception(message)
{
    public string? Detail { get; } = detail;
}
