using Portal.Lattice.Manifests;
using Portal.Lattice.Reconciliation;

namespace Portal.Tests.Unit.Manifests;

/// <summary>The README's quick start deploys examples/hello/wadm.yaml: it must stay a valid manifest that links the HTTP server to the actor.</summary>
public sealed class ExampleManifestTests
{
    [Fact]
    public void The_quick_start_manifest_is_valid_and_links_the_http_server_to_the_actor()
    {
        // The README substitutes these two placeholders with sed before posting the file.
        var text = File.ReadAllText(Path.Combine(Root(), "examples", "hello", "wadm.yaml"))
            .Replace("PORTAL", "127.0.0.1:5080", StringComparison.Ordinal)
            .Replace("TENANT", "demo", StringComparison.Ordinal);

        var document = ManifestParser.Parse(text);

        Assert.Empty(ManifestValidator.Validate(document));
        var scalers = ManifestScalers.From(document.Manifest!);
        var link = Assert.Single(scalers.Scalers.OfType<LinkScaler>());
        Assert.Equal(("hello-httpserver", "hello-hello", "wasi", "http"), (link.SourceId, link.TargetId, link.Namespace, link.Package));
        Assert.Equal(["incoming-handler"], link.Interfaces);
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) return dir.FullName;
        }

        throw new DirectoryNotFoundException("Portal.sln not found above the test's output folder.");
    }
}
