using BenchmarkDotNet.Running;

// Runs the benchmarks with BenchmarkDotNet's own command line, e.g.
//   EfdDaemon.Benchmarks --filter '*' --inProcess --job short --memory --exporters json github
BenchmarkSwitcher.FromAssembly(typeof(EfdDaemon.Benchmarks.DispatchBenchmarks).Assembly).Run(args);
