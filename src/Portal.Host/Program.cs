using System.Collections;
using Microsoft.Extensions.Logging;
using Portal.Host;
using Portal.Host.Configuration;

// portal-host: a wasmCloud 1.x compatible lattice host (flags and environment: see HostCommandLine).
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(HostCommandLine.Usage);
    return 0;
}

HostOptions options;
try
{
    var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
        .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
    options = HostCommandLine.Parse(args, environment);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"portal-host: {e.Message}\n\n{HostCommandLine.Usage}");
    return 2;
}

using var loggerFactory = LoggerFactory.Create(logging => logging
    .AddSimpleConsole(c => { c.SingleLine = true; c.TimestampFormat = "HH:mm:ss.fff "; })
    .SetMinimumLevel(LogLevel.Information));
var logger = loggerFactory.CreateLogger("portal-host");

await using var host = new LatticeHost(options, loggerFactory);
using var shutdown = new CancellationTokenSource();

// SIGTERM and Ctrl-C: stop gracefully (host_stopped) instead of dying mid-request.
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; shutdown.Cancel(); });
Console.CancelKeyPress += (_, e) => { e.Cancel = true; shutdown.Cancel(); };

try
{
    await host.StartAsync(shutdown.Token);
}
catch (Exception e) when (e is not OperationCanceledException)
{
    logger.LogCritical("Could not start: {Error}", e.Message);
    return 1;
}

await Task.WhenAny(host.Stopped, Task.Delay(Timeout.Infinite, shutdown.Token).ContinueWith(_ => { }, TaskScheduler.Default));
using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
await host.StopAsync(grace.Token);
return 0;
