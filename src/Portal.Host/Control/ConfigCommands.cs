using System.Text.Json;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;

namespace Portal.Host.Control;

// config.put / get / del (protocol 1.5, 3.7): named string maps in CONFIGDATA, shared by every host.
public sealed partial class ControlInterface
{
    private async Task<object> PutConfigAsync(NatsMsg msg, string name, CancellationToken ct)
    {
        Dictionary<string, string> values;
        try
        {
            values = JsonSerializer.Deserialize<Dictionary<string, string>>(msg.Data.Span) ?? throw new JsonException("null");
        }
        catch (JsonException)
        {
            return CtlResponse.Error("config data should be a map of string -> string");
        }

        await host.Store.PutConfigAsync(name, values, ct);
        await host.Events.PublishAsync(LatticeEvents.ConfigSet, new ConfigEvent { ConfigName = name }, ct);
        return CtlResponse.Ok("successfully put config");
    }

    private async Task<object> GetConfigAsync(string name, CancellationToken ct) =>
        await host.Store.ReadConfigAsync(name, ct) is { } values
            ? CtlResponse<Dictionary<string, string>>.Ok(values)
            : CtlResponse.Ok("Configuration not found");

    private async Task<object> DeleteConfigAsync(string name, CancellationToken ct)
    {
        await host.Store.DeleteConfigAsync(name, ct);
        await host.Events.PublishAsync(LatticeEvents.ConfigDeleted, new ConfigEvent { ConfigName = name }, ct);
        return CtlResponse.Ok("successfully deleted config");
    }
}
