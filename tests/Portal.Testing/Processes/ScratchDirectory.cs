using System.Diagnostics;

namespace Portal.Testing.Processes;

/// <summary>
/// A temporary directory for one private server, marked with the test process's id so the next
/// run can remove what a killed run left behind.
/// </summary>
public sealed class ScratchDirectory : IDisposable
{
    private const string Prefix = "portal-test-";
    private const string OwnerFile = "owner.pid";

    private ScratchDirectory(string path) => Path = path;

    public string Path { get; }

    public static ScratchDirectory Create(string kind)
    {
        RemoveOrphans();
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{Prefix}{kind}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(path);
        File.WriteAllText(System.IO.Path.Combine(path, OwnerFile), Environment.ProcessId.ToString());
        return new ScratchDirectory(path);
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static void RemoveOrphans()
    {
        foreach (var dir in Directory.EnumerateDirectories(System.IO.Path.GetTempPath(), Prefix + "*"))
        {
            var owner = System.IO.Path.Combine(dir, OwnerFile);
            if (!File.Exists(owner) || !int.TryParse(File.ReadAllText(owner), out var pid) || IsAlive(pid)) continue;
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private static bool IsAlive(int pid)
    {
        try { return !Process.GetProcessById(pid).HasExited; }
        catch (ArgumentException) { return false; }
    }
}
