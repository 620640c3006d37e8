using Microsoft.Extensions.Logging;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;

namespace Portal.Host.Events;

/// <summary>Publishes lattice events as CloudEvents on <c>wasmbus.evt.{lattice}.{name}</c> with source = this host's id.</summary>
public sealed class EventPublisher(NatsConnection connection, LatticeSubjects subjects, string hostId, ILogger logger)
{
    public async Task PublishAsync<T>(string eventName, T data, CancellationToken cancellationToken = default)
    {
        try
        {
            var payload = LatticeJson.Serialize(LatticeEvents.Create(eventName, hostId, data));
            await connection.PublishAsync(subjects.Event(eventName), payload, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Events are best effort (plain publish, as on a wasmCloud host); the state change stands.
            logger.LogWarning(e, "Could not publish {Event}", eventName);
        }
    }
}
