using BenchmarkDotNet.Running;

// `./portal bench [filter]` runs these. Each class measures our code against a baseline in the
// same run (the [Benchmark(Baseline = true)] method) so the ratio column is the figure to read.
// Two are timed loops of their own rather than BenchmarkDotNet classes:
//   `./portal bench s1`: throughput under concurrency behind the HTTP server provider;
//   `./portal bench s6`: REST latency percentiles (p99, which BenchmarkDotNet does not report);
//   `./portal bench artifacts`: a 13 MB component's upload vs SHA-256 plus a raw insert of its bytes;
//   `./portal bench s4` / `s5`: the reconciler deploying 200 apps on 20 light hosts, and repairing a lost host;
//   `./portal bench s8`: the topology page's memory per circuit and event-to-DOM latency with 500 light hosts.
// (GetExecutingAssembly, not typeof(Program): portal-host, referenced for S2/S3, has a Program too.)
switch (args.FirstOrDefault()?.ToLowerInvariant())
{
    case "s1":
        await Benchmarks.Host.S1HttpProviderBenchmark.RunAsync();
        return 0;
    case "s6":
        return await Benchmarks.Api.S6ApiLatency.RunAsync();
    case "s4":
        return await Benchmarks.Reconciler.ReconcilerBenchmarks.RunS4Async();
    case "s5":
        return await Benchmarks.Reconciler.ReconcilerBenchmarks.RunS5Async();
    case "s8":
        return await Benchmarks.Topology.S8TopologyBenchmark.RunAsync();
    case "artifacts":
        return await Benchmarks.Artifacts.UploadBenchmark.RunAsync();
    default:
        BenchmarkSwitcher.FromAssembly(System.Reflection.Assembly.GetExecutingAssembly()).Run(args);
        return 0;
}
