using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Portal.Api.Applications.Manifests;
using Portal.Api.Http;

namespace Portal.Api.Applications;

/// <summary>
/// A manifest request body: raw YAML or JSON, its format from Content-Type (none: try YAML then
/// JSON, as wadm does), at most <see cref="MaxBytes"/> (refused while reading, not after).
/// </summary>
internal static class ManifestBody
{
    public const int MaxBytes = 1024 * 1024;

    public static async Task<(string Text, string? Format)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var format = FormatOf(request.ContentType);
        if (request.ContentLength > MaxBytes) throw TooLarge();
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes) throw TooLarge();
            buffer.Write(chunk, 0, read);
        }

        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
            if (string.IsNullOrWhiteSpace(text)) throw new UnprocessableContentException("The body is empty: send the manifest as YAML or JSON.", "/problems/invalid-manifest");
            return (text, format);
        }
        catch (DecoderFallbackException)
        {
            throw new UnprocessableContentException("The manifest is not UTF-8 text.", "/problems/invalid-manifest");
        }
    }

    private static string? FormatOf(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType)) return null;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var type)) throw Unsupported(contentType);
        return type.MediaType.Value?.ToLowerInvariant() switch
        {
            "application/yaml" or "application/x-yaml" or "text/yaml" or "text/x-yaml" => ManifestReader.Yaml,
            "application/json" => ManifestReader.Json,
            // curl -d sends this by default; like no Content-Type, the text decides.
            "text/plain" or "application/x-www-form-urlencoded" or "application/octet-stream" => null,
            _ => throw Unsupported(contentType),
        };
    }

    private static PayloadTooLargeException TooLarge() => new($"A manifest may be at most {MaxBytes / 1024} KiB.");

    private static PortalProblemException Unsupported(string contentType) => new(
        StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
        $"Send the manifest as application/yaml, application/x-yaml, text/yaml or application/json, not {contentType}.", "/problems/unsupported-media-type");
}
