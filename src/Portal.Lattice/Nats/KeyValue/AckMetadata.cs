using System.Globalization;

namespace Portal.Lattice.Nats.KeyValue;

/// <summary>
/// What JetStream encodes in a delivered message's reply subject:
/// $JS.ACK.{stream}.{consumer}.{delivered}.{stream seq}.{consumer seq}.{nanos}.{pending}
/// (or the longer form with domain and account hash in front).
/// </summary>
internal readonly record struct AckMetadata(ulong StreamSequence, ulong ConsumerSequence, DateTimeOffset Timestamp, ulong Pending)
{
    public static AckMetadata Parse(string? replyTo)
    {
        if (replyTo is null || !replyTo.StartsWith("$JS.ACK.", StringComparison.Ordinal)) return default;
        var tokens = replyTo.Split('.');
        var first = tokens.Length == 9 ? 4 : tokens.Length >= 11 ? 6 : -1; // index of "delivered"
        if (first < 0) return default;
        var nanos = long.Parse(tokens[first + 3], CultureInfo.InvariantCulture);
        return new AckMetadata(
            ulong.Parse(tokens[first + 1], CultureInfo.InvariantCulture),
            ulong.Parse(tokens[first + 2], CultureInfo.InvariantCulture),
            DateTimeOffset.UnixEpoch.AddTicks(nanos / 100),
            ulong.Parse(tokens[first + 4], CultureInfo.InvariantCulture));
    }
}
