using Portal.Lattice.Control;
using Portal.Lattice.Nats;

namespace Portal.Host.Control;

// component.scale, component.update and component.auction (protocol 1.5).
public sealed partial class ControlInterface
{
    private object ScaleComponent(NatsMsg msg)
    {
        var command = Read<ScaleComponentCommand>(msg, "component scale command")!;
        if (string.IsNullOrWhiteSpace(command.ComponentId)) return CtlResponse.Error("component_id is required");
        var message = host.Components.ScaleReplyMessage(command);
        Background($"scaling component {command.ComponentId}", ct => host.Components.ScaleAsync(command, ct));
        return CtlResponse.Ok(message);
    }

    private object UpdateComponent(NatsMsg msg)
    {
        var command = Read<UpdateComponentCommand>(msg, "component update command")!;
        if (host.Components.UpdateRefusal(command) is { } refusal) return refusal;
        var message = host.Components.UpdateMessage(command);
        Background($"updating component {command.ComponentId}", ct => host.Components.UpdateAsync(command, ct));
        return CtlResponse.Ok(message);
    }

    private object? AuctionComponent(NatsMsg msg)
    {
        var request = Read<ComponentAuctionRequest>(msg, "component auction request")!;
        if (!host.Satisfies(request.Constraints) || host.Components.IsRunning(request.ComponentId)) return null;
        return CtlResponse<ComponentAuctionAck>.Ok(new ComponentAuctionAck
        {
            ComponentRef = request.ComponentRef,
            ComponentId = request.ComponentId,
            HostId = host.HostId,
            Constraints = request.Constraints,
        });
    }
}
