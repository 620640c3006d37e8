using System.Net.Sockets;

namespace Portal.Testing.Processes;

/// <summary>A private nats-server with JetStream, on free loopback ports, in its own temp directory.</summary>
public sealed class NatsServer : IAsyncDisposable
{
    private readonly ScratchDirectory _dir;
    private readonly string? _configFile;
    private ServerProcess _process;

    private NatsServer(ScratchDirectory dir, int port, int monitorPort, string? configFile, ServerProcess process)
    {
        _dir = dir;
        Port = port;
        MonitorPort = monitorPort;
        _configFile = configFile;
        _process = process;
    }

    public int Port { get; }

    public int MonitorPort { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    public string Directory => _dir.Path;

    /// <summary>
    /// Starts nats-server; <paramref name="config"/> is optional nats-server configuration text and
    /// <paramref name="prepare"/> may write files it includes into the server's directory first.
    /// </summary>
    public static async Task<NatsServer> StartAsync(string? config = null, CancellationToken cancellationToken = default, Action<string>? prepare = null)
    {
        var dir = ScratchDirectory.Create("nats");
        prepare?.Invoke(dir.Path);
        var port = FreePort.Next();
        var monitor = FreePort.Next();
        string? configFile = null;
        if (config is not null)
        {
            configFile = Path.Combine(dir.Path, "nats.conf");
            await File.WriteAllTextAsync(configFile, config, cancellationToken);
        }

        var server = new NatsServer(dir, port, monitor, configFile, Launch(dir.Path, port, monitor, configFile));
        await server.WaitReadyAsync(cancellationToken);
        return server;
    }

    private static ServerProcess Launch(string dir, int port, int monitor, string? configFile)
    {
        var args = new List<string> { "-a", "127.0.0.1", "-p", port.ToString(), "-m", monitor.ToString(), "-js", "-sd", Path.Combine(dir, "js") };
        if (configFile is not null) args.AddRange(["-c", configFile]);
        // Relative paths in the configuration (include, pid_file) resolve against the server's directory.
        return ServerProcess.Start(ToolLocator.Find("nats-server"), args, workingDirectory: dir);
    }

    /// <summary>Kills the server at once, as a crash or network loss would.</summary>
    public void Kill() => _process.Kill();

    /// <summary>Starts the server again on the same port and storage after <see cref="Kill"/>.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        _process.Dispose();
        _process = Launch(_dir.Path, Port, MonitorPort, _configFile);
        await WaitReadyAsync(cancellationToken);
    }

    /// <summary>Asks the running server to re-read its configuration file (SIGHUP).</summary>
    public void Reload()
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-HUP", _process.Id.ToString()]);
        kill.WaitForExit();
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException("nats-server exited:\n" + _process.Output);
            try
            {
                var response = await http.GetAsync($"http://127.0.0.1:{MonitorPort}/healthz", cancellationToken);
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SocketException) { }
            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException("nats-server did not become ready:\n" + _process.Output);
    }

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }
}
