using Portal.Lattice.Control;
using Portal.Lattice.Nats;

namespace Portal.Host.Control;

// provider.start, provider.stop and provider.auction (protocol 1.5).
public sealed partial class ControlInterface
{
    private object StartProvider(NatsMsg msg)
    {
        var command = Read<StartProviderCommand>(msg, "provider start command")!;
        if (string.IsNullOrWhiteSpace(command.ProviderId)) return CtlResponse.Error("provider_id is required");
        if (host.Providers.IsRunning(command.ProviderId)) return CtlResponse.Error("provider with that ID is already running");
        Background($"starting provider {command.ProviderId}", ct => host.Providers.StartAsync(command, ct));
        return CtlResponse.Ok("successfully started provider");
    }

    private async Task<object> StopProviderAsync(NatsMsg msg, CancellationToken ct)
    {
        var command = Read<StopProviderRequest>(msg, "provider stop command")!;
        var providerId = command.ProviderId ?? command.ProviderRef;
        if (string.IsNullOrEmpty(providerId)) return CtlResponse.Error("provider_id is required");
        var stopped = await host.Providers.StopAsync(new StopProviderCommand { ProviderId = providerId, HostId = command.HostId ?? "" }, ct);
        return stopped ? CtlResponse.Ok("successfully stopped provider") : CtlResponse.Error("provider with that ID is not running");
    }

    private object? AuctionProvider(NatsMsg msg)
    {
        var request = Read<ProviderAuctionRequest>(msg, "provider auction request")!;
        if (!host.Satisfies(request.Constraints) || host.Providers.IsRunning(request.ProviderId)) return null;
        return CtlResponse<ProviderAuctionAck>.Ok(new ProviderAuctionAck
        {
            HostId = host.HostId,
            ProviderRef = request.ProviderRef,
            ProviderId = request.ProviderId,
            Constraints = request.Constraints,
        });
    }

    /// <summary>provider.stop as received: the legacy key <c>provider_ref</c> is accepted for <c>provider_id</c>.</summary>
    private sealed record StopProviderRequest
    {
        public string? HostId { get; init; }

        public string? ProviderId { get; init; }

        public string? ProviderRef { get; init; }
    }
}
