using BenchmarkDotNet.Running;

// `./portal bench [filter]` runs these. Each class measures our code against a baseline in the
// same run (the [Benchmark(Baseline = true)] method) so the ratio column is the figure to read.
// `./portal bench s1` runs S1 instead: a timed load test (throughput under concurrency), not a
// BenchmarkDotNet class.
// (GetExecutingAssembly, not typeof(Program): portal-host, referenced for S2/S3, has a Program too.)
if (args.Length > 0 && string.Equals(args[0], "s1", StringComparison.OrdinalIgnoreCase))
{
    await Benchmarks.Host.S1HttpProviderBenchmark.RunAsync();
    return;
}

BenchmarkSwitcher.FromAssembly(System.Reflection.Assembly.GetExecutingAssembly()).Run(args);
