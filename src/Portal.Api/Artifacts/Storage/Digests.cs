using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Portal.Api.Artifacts.Storage;

/// <summary>OCI digests as we store and accept them: <c>sha256:</c> and 64 lower-case hex digits.</summary>
public static partial class Digests
{
    public const string Sha256Prefix = "sha256:";

    [GeneratedRegex("^sha256:[a-f0-9]{64}$")]
    private static partial Regex Pattern();

    public static bool IsValid(string? digest) => digest is not null && Pattern().IsMatch(digest);

    public static string Of(ReadOnlySpan<byte> bytes) => Sha256Prefix + Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string From(IncrementalHash hash) => Sha256Prefix + Convert.ToHexStringLower(hash.GetHashAndReset());
}
