using System.Text;

namespace Portal.Api.Lattices.Credentials;

/// <summary>A NATS user of a tenant's account: a host bound to one lattice, or the portal's own (unrestricted) user.</summary>
public sealed record NatsAccountUser(string User, string Password, string? LatticeId);

/// <summary>One tenant's NATS account.</summary>
public sealed record NatsAccount(string TenantSlug, IReadOnlyList<NatsAccountUser> Users);

/// <summary>
/// Renders the nats-server accounts file. Each tenant gets an account of its own (subjects,
/// inboxes and JetStream are invisible across accounts), and each host user may publish and
/// subscribe only on its lattice's subjects and KV buckets: reaching for another lattice's
/// subjects is refused by the server with a permissions violation.
/// </summary>
public static class NatsAccountsRenderer
{
    public const string PortalAccount = "PORTAL";

    public static string AccountName(string tenantSlug) => "TENANT_" + tenantSlug.ToUpperInvariant().Replace('-', '_');

    public static string Render(string portalUser, string portalPassword, IReadOnlyList<NatsAccount> tenants)
    {
        var text = new StringBuilder();
        text.AppendLine("# Written by Lattice Portal from its database. Do not edit: it is rewritten on every change.");
        text.AppendLine("accounts {");
        text.AppendLine($"  {PortalAccount} {{");
        text.AppendLine($"    users = [ {{ user: {Quote(portalUser)}, password: {Quote(portalPassword)} }} ]");
        text.AppendLine("  }");
        foreach (var tenant in tenants.Where(t => t.Users.Count > 0).OrderBy(t => t.TenantSlug, StringComparer.Ordinal))
        {
            text.AppendLine($"  {AccountName(tenant.TenantSlug)} {{");
            text.AppendLine("    jetstream: enabled");
            text.AppendLine("    users = [");
            foreach (var user in tenant.Users.OrderBy(u => u.User, StringComparer.Ordinal))
            {
                text.Append($"      {{ user: {Quote(user.User)}, password: {Quote(user.Password)}");
                if (user.LatticeId is { } lattice)
                {
                    text.Append($", permissions: {{ publish: {{ allow: {List(PublishAllow(lattice))} }}, subscribe: {{ allow: {List(SubscribeAllow(lattice))} }} }}");
                }

                text.AppendLine(" }");
            }

            text.AppendLine("    ]");
            text.AppendLine("  }");
        }

        text.AppendLine("}");
        return text.ToString();
    }

    /// <summary>What a host of <paramref name="lattice"/> may publish: its control, event and RPC subjects, its KV buckets' API, replies.</summary>
    public static IReadOnlyList<string> PublishAllow(string lattice) =>
    [
        $"wasmbus.ctl.v1.{lattice}.>",
        $"wasmbus.evt.{lattice}.>",
        $"wasmbus.rpc.{lattice}.>",
        "$JS.API.INFO",
        .. KvBuckets(lattice).SelectMany(bucket => new[]
        {
            $"$JS.API.STREAM.*.KV_{bucket}",
            $"$JS.API.CONSUMER.*.KV_{bucket}",
            $"$JS.API.CONSUMER.*.KV_{bucket}.>",
            $"$JS.API.DIRECT.GET.KV_{bucket}",
            $"$JS.API.DIRECT.GET.KV_{bucket}.>",
            $"$KV.{bucket}.>",
        }),
        "_INBOX.>",
    ];

    public static IReadOnlyList<string> SubscribeAllow(string lattice) =>
    [
        $"wasmbus.ctl.v1.{lattice}.>",
        $"wasmbus.evt.{lattice}.>",
        $"wasmbus.rpc.{lattice}.>",
        "_INBOX.>",
    ];

    /// <summary>The JetStream KV buckets hosts share per lattice: links and named config (1.x hosts), and our hosts' wasi:keyvalue data.</summary>
    private static string[] KvBuckets(string lattice) => [$"LATTICEDATA_{lattice}", $"CONFIGDATA_{lattice}", $"KEYVALUE_{lattice}"];

    private static string List(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(Quote)) + "]";

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
