using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Portal.Api.Audit;

/// <summary>Streams audit events as CSV (RFC 4180 quoting) or a JSON array, without buffering them all.</summary>
public static class AuditExport
{
    private static readonly string[] Columns = ["sequence", "occurredAt", "actorType", "actorId", "actorName", "action", "targetType", "targetId", "before", "after", "ipAddress", "userAgent", "correlationId", "hash"];

    public static async Task WriteCsvAsync(IAsyncEnumerable<AuditEventResponse> events, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true);
        await writer.WriteLineAsync(string.Join(',', Columns));
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            string?[] values = [e.Sequence.ToString(CultureInfo.InvariantCulture), e.OccurredAt.ToString("O", CultureInfo.InvariantCulture), e.ActorType, e.ActorId, e.ActorName, e.Action, e.TargetType, e.TargetId, e.Before, e.After, e.IpAddress, e.UserAgent, e.CorrelationId, e.Hash];
            await writer.WriteLineAsync(string.Join(',', values.Select(Quote)));
        }
    }

    // System.Text.Json streams an IAsyncEnumerable as a JSON array, flushing as it goes.
    public static Task WriteJsonAsync(IAsyncEnumerable<AuditEventResponse> events, Stream output, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeAsync(output, events, JsonSerializerOptions.Web, cancellationToken);

    private static string Quote(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        // Cells starting with = + - @ are neutralised so a spreadsheet does not run them as formulas.
        if (value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
