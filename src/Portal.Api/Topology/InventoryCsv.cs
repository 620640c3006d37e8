using System.Globalization;
using System.Text;

namespace Portal.Api.Topology;

/// <summary>
/// The inventory tables as CSV (RFC 4180: comma separated, CRLF, fields quoted when they hold a
/// comma, quote or line break), one way for every table. A field starting with = + - @ is prefixed
/// with a quote mark so a spreadsheet does not run it as a formula (ids and labels come from hosts).
/// </summary>
public static class InventoryCsv
{
    public static string Hosts(IEnumerable<HostRow> rows) => Write(
        ["host_id", "name", "labels", "version", "uptime_seconds", "last_seen", "stale", "actors", "providers"],
        rows.Select(r => new object?[] { r.Id, r.Name, r.Labels, r.Version, r.UptimeSeconds, r.LastSeen, r.Stale, r.Actors, r.Providers }));

    public static string Actors(IEnumerable<ActorRow> rows) => Write(
        ["host_id", "host_name", "component_id", "name", "image_ref", "max_instances", "managed_by"],
        rows.Select(r => new object?[] { r.HostId, r.HostName, r.Id, r.Name, r.ImageRef, r.MaxInstances, r.ManagedBy }));

    public static string Providers(IEnumerable<ProviderRow> rows) => Write(
        ["host_id", "host_name", "provider_id", "name", "image_ref", "health", "managed_by"],
        rows.Select(r => new object?[] { r.HostId, r.HostName, r.Id, r.Name, r.ImageRef, r.Health, r.ManagedBy }));

    public static string Links(IEnumerable<LinkRow> rows) => Write(
        ["source_id", "target", "interface", "name", "source_config", "target_config"],
        rows.Select(r => new object?[] { r.SourceId, r.Target, r.Interface, r.Name, r.SourceConfig, r.TargetConfig }));

    public static string Configs(IEnumerable<ConfigRow> rows) => Write(["name"], rows.Select(r => new object?[] { r.Name }));

    private static string Write(string[] header, IEnumerable<object?[]> rows)
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', header).Append("\r\n");
        foreach (var row in rows) csv.AppendJoin(',', row.Select(Field)).Append("\r\n");
        return csv.ToString();
    }

    private static string Field(object? value)
    {
        var text = value switch
        {
            null => "",
            DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            bool flag => flag ? "true" : "false",
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        if (text.Length > 0 && "=+-@".Contains(text[0])) text = "'" + text;
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
    }
}
