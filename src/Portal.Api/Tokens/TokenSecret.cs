using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Api.Tokens;

/// <summary>
/// The token's text: <c>lpat_{id}_{secret}</c>. The id finds the row without scanning; the secret
/// is 32 random bytes, so a plain SHA-256 of it is a safe stored form (no slow hash needed).
/// </summary>
public static class TokenSecret
{
    public const string Prefix = "lpat_";

    public static (string Token, string Hash) Create(Guid id)
    {
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return ($"{Prefix}{id:N}_{secret}", Hash(secret));
    }

    public static bool TryParse(string token, out Guid id, out string secret)
    {
        id = Guid.Empty;
        secret = "";
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length < Prefix.Length + 34) return false;
        var idPart = token.AsSpan(Prefix.Length, 32);
        if (token[Prefix.Length + 32] != '_' || !Guid.TryParseExact(idPart, "N", out id)) return false;
        secret = token[(Prefix.Length + 33)..];
        return secret.Length > 0;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Constant-time comparison of a presented secret with the stored hash.</summary>
    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));
}
