using System.Text.Json.Serialization;

namespace Portal.Lattice.Nats;

/// <summary>The INFO the server sends first; only what the client acts on.</summary>
public sealed record ServerInfo
{
    [JsonPropertyName("server_id")] public string ServerId { get; init; } = "";

    [JsonPropertyName("version")] public string Version { get; init; } = "";

    [JsonPropertyName("headers")] public bool Headers { get; init; }

    [JsonPropertyName("max_payload")] public long MaxPayload { get; init; } = 1024 * 1024;

    [JsonPropertyName("auth_required")] public bool AuthRequired { get; init; }

    [JsonPropertyName("jetstream")] public bool JetStream { get; init; }
}
