namespace Portal.Api.Applications;

/// <summary>Image references as wasmCloud accepts them, reduced to one spelling for comparison and storage.</summary>
public static class ImageRefs
{
    public const string BuiltInScheme = "wasmcloud+builtin://";

    /// <summary>Drops the <c>oci://</c>, <c>http://</c> or <c>https://</c> prefix wasmCloud tolerates.</summary>
    public static string Normalize(string imageRef)
    {
        var trimmed = imageRef.Trim();
        foreach (var scheme in (string[])["oci://", "https://", "http://"])
        {
            if (trimmed.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return trimmed[scheme.Length..];
        }

        return trimmed;
    }

    /// <summary>The reference without its tag or digest: <c>ghcr.io/wasmcloud/http-server</c>.</summary>
    public static string Repository(string normalized)
    {
        var at = normalized.IndexOf('@');
        if (at >= 0) normalized = normalized[..at];
        var colon = normalized.LastIndexOf(':');
        return colon > normalized.LastIndexOf('/') ? normalized[..colon] : normalized;
    }

    /// <summary><c>wasi:http/incoming-handler@0.2.0</c> → <c>wasi:http/incoming-handler</c>: links name interfaces without versions.</summary>
    public static string Unversioned(string interfaceName)
    {
        var at = interfaceName.IndexOf('@');
        return at < 0 ? interfaceName : interfaceName[..at];
    }
}
