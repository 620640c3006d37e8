using System.Diagnostics;
using System.Text;

namespace Portal.Testing.Processes;

/// <summary>
/// A child server process that cannot outlive the test run: besides <see cref="Dispose"/>, a
/// watchdog shell kills it when this process disappears (a cancelled or crashed run never
/// runs disposers), and process exit handlers stop it on a normal exit.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly Process? _watchdog;
    private readonly StringBuilder _output = new();
    private int _disposed;

    private readonly string _stopSignal;

    private ServerProcess(Process process, Process? watchdog, string stopSignal)
    {
        _process = process;
        _watchdog = watchdog;
        _stopSignal = stopSignal;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Dispose();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>What the server printed so far, for failure messages.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    public static ServerProcess Start(string fileName, IEnumerable<string> arguments, string? runAsUser = null, IDictionary<string, string>? environment = null, string stopSignal = "TERM", string? workingDirectory = null)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        if (runAsUser is not null)
        {
            info.FileName = "runuser";
            foreach (var a in new[] { "-u", runAsUser, "--", fileName }) info.ArgumentList.Add(a);
        }
        else
        {
            info.FileName = fileName;
        }

        foreach (var a in arguments) info.ArgumentList.Add(a);
        if (environment is not null)
        {
            foreach (var (k, v) in environment) info.Environment[k] = v;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}");
        var server = new ServerProcess(process, StartWatchdog(process.Id, stopSignal), stopSignal);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>A detached shell that kills <paramref name="childPid"/> once the test process is gone.</summary>
    private static Process? StartWatchdog(int childPid, string stopSignal)
    {
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null && kill -0 {childPid} 2>/dev/null; do sleep 1; done; kill -{stopSignal} {childPid} 2>/dev/null; sleep 3; kill -KILL {childPid} 2>/dev/null";
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "sh", "-c", script }) info.ArgumentList.Add(a);
        try { return Process.Start(info); }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>Asks the server to stop with its stop signal, then kills it if it lingers.</summary>
    public void Stop(TimeSpan grace)
    {
        if (_process.HasExited) return;
        using (var term = Process.Start("kill", ["-" + _stopSignal, _process.Id.ToString()])) term.WaitForExit();
        if (!_process.WaitForExit(grace)) _process.Kill(entireProcessTree: true);
    }

    /// <summary>Kills the server at once, as a crash would.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        try { Stop(TimeSpan.FromSeconds(5)); }
        catch (InvalidOperationException) { }
        try { if (_watchdog is { HasExited: false }) _watchdog.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        _process.Dispose();
        _watchdog?.Dispose();
    }
}
