using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Benchmarks.Nats;

/// <summary>
/// Puts the nats.js figure next to ours. Ratio is ours/nats.js for the round trip (lower is
/// better, target at most 1.3) and our rate/nats.js rate for publishing (higher is better, target at least 0.5).
/// </summary>
internal sealed class NatsJsColumn(NatsJsColumn.Kind kind) : IColumn
{
    public enum Kind
    {
        Figure,
        Ratio,
    }

    public string Id => $"nats.js-{kind}";

    public string ColumnName => kind == Kind.Figure ? "nats.js" : "vs nats.js";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => (int)kind;

    public bool IsNumeric => false;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => kind == Kind.Figure
        ? "nats.js 2.29 on the same nats-server, same workload"
        : "round trip: our time / nats.js time (target <= 1.3); publish: our rate / nats.js rate (target >= 0.5)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var js = S7Environment.NatsJs;
        if (js is null) return "n/a";
        var roundTrip = benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(NatsClientBenchmarks.RequestReply);
        var jsNs = roundTrip ? js.RoundTripUs * 1000 : js.BatchMs * 1_000_000;
        if (kind == Kind.Figure) return roundTrip ? $"{js.RoundTripUs:F1} us" : $"{js.BatchMs:F2} ms ({js.PublishPerSecond / 1e6:F2} M msg/s)";
        var ours = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (ours is null or 0) return "n/a";
        return roundTrip ? $"{ours.Value / jsNs:F2}x time" : $"{jsNs / ours.Value:F2}x rate";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
