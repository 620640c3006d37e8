using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using Portal.Host.Engine;
using Portal.Testing.Actors;

namespace Portal.Tests.Integration.Host;

/// <summary>wasi:logging from a component lands in the host's structured log, with the component id.</summary>
public sealed class GuestLoggingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_wasi_logging_level_is_logged_with_the_component_id_and_context()
    {
        var records = new ConcurrentQueue<CapturedLog>();
        var guestLog = new CapturingLogger(records);
        // Generous load time: the first transpile of a componentize-js component is long on a busy machine.
        await using var engine = new ActorEngine(new ActorEngineOptions { Workers = 1, LoadTimeout = TimeSpan.FromMinutes(5) }, guestLogger: guestLog);
        var limits = new ActorLimits { MemoryBytes = 64L << 20, Timeout = TimeSpan.FromSeconds(10), MaxInstances = 1 };
        await engine.LoadAsync("logger-1", await ActorBuilder.HttpComponentAsync("kv-component", Ct), ActorKind.HttpComponent, limits, cancellationToken: Ct);

        var response = await engine.InvokeHttpAsync("logger-1", new HttpActorRequest("POST", "/log", [], Encoding.UTF8.GetBytes("disk is full")), Ct);
        Assert.Equal(200, response.Status);

        // Logged fire-and-forget by the guest: wait for all six to arrive.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (records.Count < 6 && DateTime.UtcNow < deadline) await Task.Delay(20, Ct);
        Assert.Equal(
            [LogLevel.Trace, LogLevel.Debug, LogLevel.Information, LogLevel.Warning, LogLevel.Error, LogLevel.Critical],
            records.Select(r => r.Level));
        Assert.All(records, r =>
        {
            Assert.Equal("logger-1", r.State["ComponentId"]);
            Assert.Equal("kv-test", r.State["Context"]);
            Assert.EndsWith(": disk is full", (string)r.State["Message"]!);
        });
        Assert.Equal("critical: disk is full", records.Last().State["Message"]);
    }

    private sealed record CapturedLog(LogLevel Level, IReadOnlyDictionary<string, object?> State);

    /// <summary>Keeps each record's structured properties, as a structured sink (JSON console, OTLP) would see them.</summary>
    private sealed class CapturingLogger(ConcurrentQueue<CapturedLog> records) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            records.Enqueue(new CapturedLog(logLevel, properties.ToDictionary(p => p.Key, p => p.Value)));
        }
    }
}
