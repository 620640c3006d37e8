using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Benchmarks.Nats;

/// <summary>The nats-server both clients use, and the nats.js figures measured against it (once per process).</summary>
internal static class S7Environment
{
    private static readonly Lazy<(Process Process, string Url)> Server = new(StartServer);
    private static readonly Lazy<NatsJsFigures?> Js = new(RunNatsJs);

    public static string NatsUrl => Server.Value.Url;

    public static NatsJsFigures? NatsJs => Js.Value;

    private static (Process, string) StartServer()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var process = Process.Start(new ProcessStartInfo("nats-server", ["-a", "127.0.0.1", "-p", port.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("could not start nats-server");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (!process.HasExited) process.Kill();
        };
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
        }

        return (process, $"nats://127.0.0.1:{port}");
    }

    private static NatsJsFigures? RunNatsJs()
    {
        var dir = FindScriptDirectory();
        if (dir is null)
        {
            Console.WriteLine("S7: tests/Benchmarks/nats-js not found; nats.js figures skipped");
            return null;
        }

        if (!Directory.Exists(Path.Combine(dir, "node_modules"))) Run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], dir);
        // Best of two runs for each figure: the shared machine is noisy, and this favours nats.js, not us.
        NatsJsFigures? figures = null;
        for (var run = 0; run < 2; run++)
        {
            var output = Run("node", ["s7.mjs", NatsUrl], dir);
            var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith('{'));
            if (line is null)
            {
                Console.WriteLine("S7: nats.js run printed no figures:\n" + output);
                return null;
            }

            var current = JsonSerializer.Deserialize<NatsJsFigures>(line, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
            figures = figures is null ? current : figures with
            {
                RoundTripUs = Math.Min(figures.RoundTripUs, current.RoundTripUs),
                BatchMs = Math.Min(figures.BatchMs, current.BatchMs),
                PublishPerSecond = Math.Max(figures.PublishPerSecond, current.PublishPerSecond),
            };
        }

        Console.WriteLine($"S7 nats.js: round trip {figures!.RoundTripUs:F1} us, publish batch {figures.BatchMs:F2} ms ({figures.PublishPerSecond:N0} msg/s)");
        return figures;
    }

    private static string Run(string file, string[] args, string dir)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args)
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return stdout.Result + stderr.Result;
    }

    private static string? FindScriptDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Benchmarks", "nats-js");
            if (File.Exists(Path.Combine(candidate, "s7.mjs"))) return candidate;
        }

        return null;
    }
}

internal sealed record NatsJsFigures(string Client, double RoundTripUs, double BatchMs, double PublishPerSecond);
