using BenchmarkDotNet.Running;

// `./portal bench [filter]` runs these. Each class measures our code against a baseline in the
// same run (the [Benchmark(Baseline = true)] method) so the ratio column is the figure to read.
// (GetExecutingAssembly, not typeof(Program): portal-host, referenced for S2/S3, has a Program too.)
BenchmarkSwitcher.FromAssembly(System.Reflection.Assembly.GetExecutingAssembly()).Run(args);
