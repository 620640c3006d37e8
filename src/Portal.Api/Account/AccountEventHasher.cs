using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Portal.Api.Audit;
using Portal.Data.Identity;

namespace Portal.Api.Account;

/// <summary>The hash of a user's account-event chain: the same construction as the tenant audit chain's.</summary>
public static class AccountEventHasher
{
    public static string Compute(AccountEvent e)
    {
        var builder = new StringBuilder();
        void Add(string? value) => builder.Append(value?.Length ?? -1).Append(':').Append(value).Append('|');
        Add(e.PreviousHash);
        Add(e.UserId.ToString("N"));
        Add(e.Sequence.ToString(CultureInfo.InvariantCulture));
        Add(e.OccurredAt.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Add(e.Action);
        Add(e.Detail);
        Add(e.IpAddress);
        Add(e.UserAgent);
        Add(e.CorrelationId);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }

    public const string Genesis = AuditHasher.Genesis;
}
