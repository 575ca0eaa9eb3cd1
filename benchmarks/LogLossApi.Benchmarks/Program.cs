using BenchmarkDotNet.Running;
using LogLossApi.Benchmarks;

// dotnet run -c Release --project benchmarks/LogLossApi.Benchmarks -- --filter '*'        the BenchmarkDotNet suite
// dotnet run -c Release --project benchmarks/LogLossApi.Benchmarks -- --write-bodies DIR  the bodies compare.sh sends
// dotnet run -c Release --project benchmarks/LogLossApi.Benchmarks -- --write-scaling-bodies DIR  the bodies scaling.sh sends
switch (args)
{
    case ["--write-bodies", var folder]:
        Bodies.WriteTo(folder);
        return 0;
    case ["--write-scaling-bodies", var folder]:
        Bodies.WriteScalingTo(folder);
        return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(WireBenchmarks).Assembly).Run(args);
return 0;
