using System.Security.Cryptography;
using System.Text;
using Portal.Data.Audit;

namespace Portal.Api.Audit;

/// <summary>
/// The chain's hash function. Each row's hash covers its content and the previous row's hash,
/// so an altered or removed row breaks every hash after it. Fields are length-prefixed so
/// that moving text from one field to the next changes the hash.
/// </summary>
public static class AuditHasher
{
    /// <summary>The previous hash of a tenant's first row.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Compute(AuditEvent e)
    {
        var builder = new StringBuilder();
        void Add(string? value) => builder.Append(value?.Length ?? -1).Append(':').Append(value).Append('|');
        Add(e.PreviousHash);
        Add(e.TenantId.ToString("N"));
        Add(e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(e.OccurredAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(e.ActorType);
        Add(e.ActorId);
        Add(e.ActorName);
        Add(e.Action);
        Add(e.TargetType);
        Add(e.TargetId);
        Add(e.Before);
        Add(e.After);
        Add(e.IpAddress);
        Add(e.UserAgent);
        Add(e.CorrelationId);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }
}
