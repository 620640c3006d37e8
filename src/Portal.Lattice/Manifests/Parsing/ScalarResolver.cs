using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace Portal.Lattice.Manifests;

/// <summary>
/// Resolves plain scalars with the YAML 1.2 core schema, as wadm's serde_yaml does: <c>yes</c> is
/// a string, <c>true</c> a boolean, <c>0x1F</c> a number.
/// </summary>
internal static partial class ScalarResolver
{
    public static ManifestScalarKind Resolve(string plain) => plain switch
    {
        "" or "~" or "null" or "Null" or "NULL" => ManifestScalarKind.Null,
        "true" or "True" or "TRUE" or "false" or "False" or "FALSE" => ManifestScalarKind.Boolean,
        _ when Integer().IsMatch(plain) || Octal().IsMatch(plain) || Hex().IsMatch(plain) || Float().IsMatch(plain) => ManifestScalarKind.Number,
        _ => ManifestScalarKind.String,
    };

    /// <summary>The value of an integer scalar, or null when it is not one (or too large).</summary>
    public static BigInteger? ParseInteger(string plain)
    {
        if (Integer().IsMatch(plain))
        {
            return BigInteger.Parse(plain.TrimStart('+'), CultureInfo.InvariantCulture);
        }
        if (Hex().IsMatch(plain))
        {
            return BigInteger.Parse("0" + plain[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        if (Octal().IsMatch(plain))
        {
            BigInteger value = 0;
            foreach (var digit in plain[2..])
            {
                value = value * 8 + (digit - '0');
            }
            return value;
        }
        return null;
    }

    /// <summary>A number's text as JSON writes it (hex and octal become decimal, <c>+</c> goes), so both writers agree.</summary>
    public static string CanonicalNumber(string plain)
    {
        if (ParseInteger(plain) is { } integer)
        {
            return integer.ToString(CultureInfo.InvariantCulture);
        }
        if (JsonNumber().IsMatch(plain))
        {
            return plain;
        }
        // .5, 1., +1.5, .inf: no JSON spelling; the shortest round-tripping double is the closest.
        var value = plain.ToLowerInvariant().TrimStart('+') switch
        {
            ".inf" => double.PositiveInfinity,
            "-.inf" => double.NegativeInfinity,
            ".nan" => double.NaN,
            var text => double.Parse(text, CultureInfo.InvariantCulture),
        };
        return double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : plain;
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^0o[0-7]+$")]
    private static partial Regex Octal();

    [GeneratedRegex(@"^0x[0-9a-fA-F]+$")]
    private static partial Regex Hex();

    [GeneratedRegex(@"^([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex Float();

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$")]
    private static partial Regex JsonNumber();
}
