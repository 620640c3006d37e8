using System.Security.Cryptography;
using System.Text;

namespace Portal.Lattice.Reconciliation;

/// <summary>Scaler identity (protocol notes 4.4): equal inputs give equal ids, so an upgrade keeps unchanged scalers.</summary>
internal static class ScalerIds
{
    /// <summary>wadm's <c>compute_id_sha256</c>: lower-case hex SHA-256 of the parts concatenated with no separator.</summary>
    public static string Sha256(IEnumerable<string> parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in parts) hash.AppendData(Encoding.UTF8.GetBytes(part));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// The <c>-{hash}</c> suffix of an owned config's id. wadm hashes the sorted map with Rust's
    /// DefaultHasher, whose output Rust does not promise to keep; we take the first 8 bytes of a
    /// SHA-256 over the sorted, length-prefixed pairs and print them as a decimal u64 like wadm does.
    /// </summary>
    public static string PropertiesHash(IReadOnlyDictionary<string, string> properties)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (key, value) in properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var s in new[] { key, value })
            {
                var bytes = Encoding.UTF8.GetBytes(s);
                hash.AppendData(BitConverter.GetBytes(bytes.Length));
                hash.AppendData(bytes);
            }
        }

        return BitConverter.ToUInt64(hash.GetHashAndReset(), 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
