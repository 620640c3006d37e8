using System.Diagnostics;

namespace Benchmarks.Api;

/// <summary>Latencies of one operation; percentiles by rank.</summary>
internal sealed class LatencySample(string name, Func<int, Task> operation)
{
    private readonly List<double> _micros = [];
    private readonly Func<int, Task> _operation = operation;

    public string Name { get; } = name;

    /// <summary>
    /// Runs the operations round-robin, one call of each per round, the first of a round rotating:
    /// every sample then sees the same machine (other processes, GC, tiered JIT) instead of one
    /// getting a quiet minute and another a busy one. The warm-up rounds are not recorded.
    /// </summary>
    public static async Task MeasureInterleavedAsync(int warmup, int count, params LatencySample[] samples)
    {
        for (var round = 0; round < warmup + count; round++)
        {
            for (var k = 0; k < samples.Length; k++)
            {
                var sample = samples[(round + k) % samples.Length];
                var start = Stopwatch.GetTimestamp();
                await sample._operation(round);
                if (round >= warmup) sample._micros.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }
        }
    }

    /// <summary>One unrecorded call, to build another sample on this one's operation.</summary>
    public Task RunOnceAsync() => _operation(0);

    public double Percentile(double p)
    {
        var sorted = _micros.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public override string ToString() => $"{Name,-48} p50 {Percentile(50),9:F0} µs   p99 {Percentile(99),9:F0} µs";
}
