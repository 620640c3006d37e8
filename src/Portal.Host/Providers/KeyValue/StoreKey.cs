using System.Text;

namespace Portal.Host.Providers.KeyValue;

/// <summary>
/// Where a component's key lives in the lattice's KV bucket: <c>{bucket}.{escaped key}</c>. A
/// wasi:keyvalue key is any string, a JetStream key only <c>[-/_=.A-Za-z0-9]</c> with dots as
/// separators, so every other byte of the key's UTF-8 (and '=' and '.') becomes <c>=XX</c>. Plain
/// keys stay readable (<c>default./counter</c>), and the escaped key is one token, so
/// <c>{bucket}.*</c> lists exactly one logical bucket.
/// </summary>
public static class StoreKey
{
    /// <summary>Link config key naming the logical bucket; absent means <see cref="DefaultBucket"/>.</summary>
    public const string BucketConfigKey = "bucket";

    public const string DefaultBucket = "default";

    /// <summary>Bucket names are one token of plain characters (they are not escaped, so they stay greppable).</summary>
    public static bool IsValidBucket(string bucket) =>
        bucket.Length is > 0 and <= 64 && bucket.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string Encode(string bucket, string key)
    {
        var text = new StringBuilder(bucket.Length + 1 + key.Length);
        text.Append(bucket).Append('.');
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '/') text.Append(c);
            else text.Append('=').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>The component's key back from a stored key of <paramref name="bucket"/>, or null when it is not one.</summary>
    public static string? Decode(string bucket, string storedKey)
    {
        if (!storedKey.StartsWith(bucket + ".", StringComparison.Ordinal)) return null;
        var escaped = storedKey.AsSpan(bucket.Length + 1);
        var bytes = new List<byte>(escaped.Length);
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] != '=')
            {
                bytes.Add((byte)escaped[i]);
                continue;
            }

            if (i + 2 >= escaped.Length) return null; // '=' must be followed by two hex digits
            if (!byte.TryParse(escaped.Slice(i + 1, 2), System.Globalization.NumberStyles.HexNumber, null, out var b)) return null;
            bytes.Add(b);
            i += 2;
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
