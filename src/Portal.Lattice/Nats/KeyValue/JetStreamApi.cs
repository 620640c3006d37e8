using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Lattice.Nats.KeyValue;

/// <summary>JSON requests to the JetStream API ($JS.API.*) with the API's error envelope turned into exceptions.</summary>
internal static class JetStreamApi
{
    public const string Prefix = "$JS.API.";

    public static async ValueTask<JsonObject> RequestAsync(NatsConnection connection, string subject, JsonNode? body, CancellationToken cancellationToken)
    {
        var payload = body is null ? ReadOnlyMemory<byte>.Empty : JsonSerializer.SerializeToUtf8Bytes(body);
        NatsMsg reply;
        try
        {
            reply = await connection.RequestAsync(Prefix + subject, payload, cancellationToken: cancellationToken);
        }
        catch (NatsNoRespondersException)
        {
            throw new NatsException("JetStream is not enabled on the server (no responders for the JetStream API)");
        }

        var json = JsonNode.Parse(reply.Data.Span) as JsonObject ?? throw new NatsException($"bad JetStream reply to {subject}");
        ThrowIfError(json);
        return json;
    }

    public static void ThrowIfError(JsonObject json)
    {
        if (json["error"] is JsonObject error)
        {
            throw new NatsJetStreamException(
                (int?)error["code"] ?? 0,
                (int?)error["err_code"] ?? 0,
                (string?)error["description"] ?? "unknown error");
        }
    }

    public static long Nanoseconds(TimeSpan span) => span.Ticks * 100;
}
