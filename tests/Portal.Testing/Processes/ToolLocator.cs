namespace Portal.Testing.Processes;

/// <summary>Finds the server binaries that <c>./portal</c> installs from Debian's packages.</summary>
public static class ToolLocator
{
    public static string Find(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/usr/bin", "/usr/local/bin"]))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }

        throw new FileNotFoundException($"{name} is not installed. Run ./portal test (it installs the Debian packages) or apt-get install it.");
    }

    /// <summary>The PostgreSQL server binaries directory (initdb, pg_ctl, postgres).</summary>
    public static string PostgresBin()
    {
        var configured = Environment.GetEnvironmentVariable("PORTAL_PG_BIN");
        if (!string.IsNullOrEmpty(configured)) return configured;
        var root = "/usr/lib/postgresql";
        var found = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderByDescending(d => d).FirstOrDefault()
            : null;
        return found ?? throw new FileNotFoundException("PostgreSQL server binaries not found under /usr/lib/postgresql; install postgresql-15 or set PORTAL_PG_BIN.");
    }
}
