using System.Collections.Concurrent;
using System.Diagnostics;

namespace Benchmarks.Api;

/// <summary>
/// Counts the database round trips (Npgsql's activities) made while one operation runs, and the
/// time they took, so S6 can show how much of a request is the database and how much is the rest.
/// Requests are measured one at a time, so everything recorded between two reads belongs to one.
/// </summary>
internal sealed class RoundTripCounter : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<(string Statement, TimeSpan Duration)> _commands = new();

    public RoundTripCounter()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _commands.Enqueue((Statement(activity), activity.Duration)),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>What was recorded since the last call, and forgets it.</summary>
    public IReadOnlyList<(string Statement, TimeSpan Duration)> Drain()
    {
        var drained = new List<(string, TimeSpan)>();
        while (_commands.TryDequeue(out var command)) drained.Add(command);
        return drained;
    }

    private static string Statement(Activity activity) =>
        (activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement"))?.ToString() ?? activity.DisplayName;

    public void Dispose() => _listener.Dispose();
}
