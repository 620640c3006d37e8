using BenchmarkDotNet.Running;

// `./portal bench [filter]` runs these. Each class measures our code against a baseline in the
// same run (the [Benchmark(Baseline = true)] method) so the ratio column is the figure to read.
// `./portal bench s6` runs the REST latency benchmark, which reports percentiles BenchmarkDotNet
// does not (p99) from its own timed loop.
// (GetExecutingAssembly, not typeof(Program): portal-host, referenced for S2/S3, has a Program too.)
if (args is ["s6", ..]) return await Benchmarks.Api.S6ApiLatency.RunAsync();
BenchmarkSwitcher.FromAssembly(System.Reflection.Assembly.GetExecutingAssembly()).Run(args);
return 0;
