using BenchmarkDotNet.Running;

// `./portal bench [filter]` runs these. Each class measures our code against a baseline in the
// same run (the [Benchmark(Baseline = true)] method) so the ratio column is the figure to read.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
