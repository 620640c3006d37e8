using Npgsql;

namespace Portal.Testing.Processes;

/// <summary>
/// A private PostgreSQL cluster: initdb into a temp directory, then <c>postgres</c> on a free
/// loopback port with its socket in that directory. Durability is switched off: it is a test
/// database. As root, the server runs as the <c>postgres</c> user, which initdb requires.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string SuperUser = "postgres";
    private readonly ScratchDirectory _dir;
    private readonly ServerProcess _process;

    private PostgresServer(ScratchDirectory dir, int port, ServerProcess process)
    {
        _dir = dir;
        Port = port;
        _process = process;
    }

    public int Port { get; }

    /// <summary>A connection string to <paramref name="database"/> as the superuser.</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = SuperUser, Database = database, Pooling = true, IncludeErrorDetail = true }.ConnectionString;

    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var bin = ToolLocator.PostgresBin();
        var dir = ScratchDirectory.Create("pg");
        var data = Path.Combine(dir.Path, "data");
        var runAs = Environment.UserName == "root" ? "postgres" : null;
        if (runAs is not null) await RunAsync("chown", ["-R", runAs, dir.Path], null, cancellationToken);

        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], runAs, cancellationToken);

        var port = FreePort.Next();
        var process = ServerProcess.Start(
            Path.Combine(bin, "postgres"),
            ["-D", data, "-p", port.ToString(), "-k", dir.Path, "-c", "listen_addresses=127.0.0.1",
             "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300"],
            runAs,
            stopSignal: "INT");
        var server = new PostgresServer(dir, port, process);
        await server.WaitReadyAsync(cancellationToken);
        return server;
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException("postgres exited:\n" + _process.Output);
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private static async Task RunAsync(string file, string[] args, string? runAs, CancellationToken cancellationToken)
    {
        var info = new System.Diagnostics.ProcessStartInfo(runAs is null ? file : "runuser") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (runAs is not null) foreach (var a in new[] { "-u", runAs, "--", file }) info.ArgumentList.Add(a);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
    }

    public ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        _process.Dispose();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }
}
