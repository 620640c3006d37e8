using Portal.Lattice.Manifests;

namespace Portal.Tests.Unit.Manifests;

/// <summary>The fixture manifests copied next to the test assembly.</summary>
internal static class ManifestFixtures
{
    public static string Folder(string kind) => Path.Combine(AppContext.BaseDirectory, "Manifests", "Fixtures", kind);

    public static IEnumerable<string> Names(string kind) =>
        Directory.EnumerateFiles(Folder(kind)).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static string Read(string kind, string name) => File.ReadAllText(Path.Combine(Folder(kind), name));

    public static ManifestFormat FormatOf(string name) => name.EndsWith(".json", StringComparison.Ordinal) ? ManifestFormat.Json : ManifestFormat.Yaml;
}
