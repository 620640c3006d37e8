using System.Diagnostics;

namespace Benchmarks.Api;

/// <summary>Latencies of one operation, measured back to back after a warm-up; percentiles by rank.</summary>
internal sealed class LatencySample(string name)
{
    private readonly List<double> _micros = [];

    public string Name { get; } = name;

    public static async Task<LatencySample> MeasureAsync(string name, int warmup, int count, Func<int, Task> operation)
    {
        for (var i = 0; i < warmup; i++) await operation(i);
        var sample = new LatencySample(name);
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await operation(warmup + i);
            sample._micros.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }

        return sample;
    }

    public double Percentile(double p)
    {
        var sorted = _micros.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public override string ToString() => $"{Name,-44} p50 {Percentile(50),9:F0} µs   p99 {Percentile(99),9:F0} µs";
}
