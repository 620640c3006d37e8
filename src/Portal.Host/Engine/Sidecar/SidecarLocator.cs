namespace Portal.Host.Engine.Sidecar;

/// <summary>
/// Finds the sidecar directory. The scripts are not copied to the build output on purpose: they
/// import their npm packages, and Node resolves ES module imports from the script's own location,
/// so they must run next to the node_modules that `./portal` installs with `npm ci` in
/// src/Portal.Host/sidecar. Order: explicit option, PORTAL_HOST_SIDECAR_DIR, then walking up from
/// the assembly to src/Portal.Host/sidecar, then a "sidecar" folder beside the assembly (a deploy
/// that copies the folder with its node_modules).
/// </summary>
public static class SidecarLocator
{
    public const string EnvironmentVariable = "PORTAL_HOST_SIDECAR_DIR";
    public const string Script = "sidecar.mjs";

    public static string Find(string? configured)
    {
        foreach (var candidate in Candidates(configured))
        {
            if (File.Exists(Path.Combine(candidate, Script))) return Path.GetFullPath(candidate);
        }

        throw new FileNotFoundException(
            $"The actor sidecar ({Script}) was not found; set {EnvironmentVariable} to src/Portal.Host/sidecar.");
    }

    private static IEnumerable<string> Candidates(string? configured)
    {
        if (!string.IsNullOrEmpty(configured)) yield return configured;
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment)) yield return fromEnvironment;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            yield return Path.Combine(dir.FullName, "src", "Portal.Host", "sidecar");
        }

        yield return Path.Combine(AppContext.BaseDirectory, "sidecar");
    }
}
