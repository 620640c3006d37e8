using Portal.Host.Identity;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;

namespace Portal.Host.Control;

// host.stop, label.put/del and registry.put (protocol 1.5).
public sealed partial class ControlInterface
{
    private object StopHost(NatsMsg msg)
    {
        // An empty payload is accepted as {} (1.9 behaviour).
        var command = Read<StopHostCommand>(msg, "stop command", emptyIsDefault: true) ?? new StopHostCommand();
        if (!string.IsNullOrEmpty(command.HostId) && command.HostId != host.HostId)
        {
            return CtlResponse.Error($"invalid host_id [{command.HostId}]");
        }

        // Reply first, then stop: the caller gets its answer before our subscriptions go.
        _ = Task.Run(async () =>
        {
            await Task.Delay(50);
            await host.StopAsync(CancellationToken.None);
        });
        return CtlResponse.Ok("successfully handled stop host");
    }

    private async Task<object> PutLabelAsync(NatsMsg msg, CancellationToken ct)
    {
        var label = Read<HostLabel>(msg, "label put command")!;
        if (HostLabels.IsHostcore(label.Key)) return CtlResponse.Error("hostcore.* labels cannot be set dynamically");
        await host.SetLabelAsync(label.Key, label.Value, ct);
        return CtlResponse.Ok("successfully put label");
    }

    private async Task<object> DeleteLabelAsync(NatsMsg msg, CancellationToken ct)
    {
        var label = Read<HostLabelIdentifier>(msg, "label delete command")!;
        if (HostLabels.IsHostcore(label.Key)) return CtlResponse.Error("hostcore.* labels cannot be set dynamically");
        return await host.DeleteLabelAsync(label.Key, ct)
            ? CtlResponse.Ok("successfully deleted label")
            : CtlResponse.Ok("successfully deleted label (no such label)");
    }

    private object PutRegistries(NatsMsg msg)
    {
        var registries = Read<Dictionary<string, RegistryCredential>>(msg, "registry put command")!;
        host.Fetcher.PutRegistries(registries);
        return CtlResponse.Ok("successfully put registries");
    }
}
