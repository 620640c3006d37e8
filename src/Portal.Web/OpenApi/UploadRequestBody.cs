using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Portal.Web.OpenApi;

/// <summary>
/// The artifact upload reads its body itself (streamed, limits checked while reading), so the
/// framework cannot infer the request body; this describes the two forms it accepts.
/// </summary>
internal static class UploadRequestBody
{
    public static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId == "UploadArtifact")
        {
            var binary = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = "The wasm bytes (with ?name=&tag=), or a multipart form with optional name and tag fields followed by a file field.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/wasm"] = binary,
                    ["application/octet-stream"] = binary,
                    ["multipart/form-data"] = new OpenApiMediaType
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Properties = new Dictionary<string, IOpenApiSchema>
                            {
                                ["name"] = new OpenApiSchema { Type = JsonSchemaType.String },
                                ["tag"] = new OpenApiSchema { Type = JsonSchemaType.String },
                                ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                            },
                        },
                    },
                },
            };
        }

        return Task.CompletedTask;
    }
}
