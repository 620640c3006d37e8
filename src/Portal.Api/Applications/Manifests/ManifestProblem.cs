using System.Text.Json.Serialization;

namespace Portal.Api.Applications.Manifests;

/// <summary>
/// One finding about a manifest as the REST API reports it (the <c>errors</c> array of a 422):
/// a JSONPath-like path (<c>spec.components[1].traits[0]</c>), its 1-based line and column in the
/// submitted text (0 when unknown), the message and <c>error</c> or <c>warning</c>.
/// </summary>
public sealed record ManifestProblem(string Path, int Line, int Column, string Message, string Severity)
{
    public const string Error = "error";
    public const string Warning = "warning";

    [JsonIgnore]
    public bool IsError => Severity == Error;
}
