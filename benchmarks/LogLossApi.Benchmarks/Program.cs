using BenchmarkDotNet.Running;
using LogLossApi.Benchmarks;

// dotnet run -c Release --project benchmarks/LogLossApi.Benchmarks -- --filter '*'        the BenchmarkDotNet suite
// dotnet run -c Release --project benchmarks/LogLossApi.Benchmarks -- --write-bodies DIR  the bodies compare.sh sends
if (args is ["--write-bodies", var folder])
{
    Bodies.WriteTo(folder);
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(WireBenchmarks).Assembly).Run(args);
return 0;
