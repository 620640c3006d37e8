using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Portal.Api.Http;

namespace Portal.Api.Artifacts;

/// <summary>
/// The file of an upload request, as a stream that has not been read yet: the raw body, or the
/// <c>file</c> part of a multipart form read section by section (so the file is never buffered by
/// the form reader). Text fields before the file may carry <c>name</c> and <c>tag</c>.
/// </summary>
internal sealed record ArtifactUploadBody(string? Name, string? Tag, Stream Content, long? Length)
{
    private const int MaxFieldBytes = 1024;

    public static async Task<ArtifactUploadBody> ReadAsync(HttpRequest request, string? name, string? tag, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return new ArtifactUploadBody(name, tag, request.Body, request.ContentLength);
        }

        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary)) throw ValidationException.For("file", "The multipart body has no boundary.");
        var reader = new MultipartReader(boundary, request.Body);
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
            var field = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
            if (disposition.IsFileDisposition())
            {
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                name ??= string.IsNullOrEmpty(fileName) ? null : ArtifactNames.Suggest(fileName);
                return new ArtifactUploadBody(name, tag, section.Body, null);
            }

            var value = await ReadFieldAsync(section.Body, cancellationToken);
            if (field == "name" && !string.IsNullOrWhiteSpace(value)) name = value;
            else if (field == "tag" && !string.IsNullOrWhiteSpace(value)) tag = value;
        }

        throw ValidationException.For("file", "The form has no file part; send the wasm as a field named file.");
    }

    private static async Task<string> ReadFieldAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0) length += read;
        if (length > MaxFieldBytes) throw ValidationException.For("name", "Form fields must be at most 1 KiB.");
        return Encoding.UTF8.GetString(buffer, 0, length).Trim();
    }
}
