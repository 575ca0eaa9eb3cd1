using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using LogLossApi.BinaryLogLoss;
using LogLossApi.Scoring;
using LogLossApi.Wire.Columns;

namespace LogLossApi.Benchmarks;

/// <summary>
/// The service's own work in a 100-sample /v1/log-loss request (the one wrk sends), stage by stage, without HTTP:
/// what is left of a request's CPU time after these is Kestrel, the sockets and the middleware.
/// </summary>
[MemoryDiagnoser]
public class SmallRequestBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private readonly BinaryLogLossRequestValidator _validator = new();
    private Bodies _bodies = null!;
    private BinaryLogLossRequest _request = null!;
    private BinaryLogLossResponse _response = null!;

    [GlobalSetup]
    public void Setup()
    {
        _bodies = Bodies.Of(100);
        _request = JsonSerializer.Deserialize(_bodies.Json, BinaryLogLossJsonContext.Default.BinaryLogLossRequest)!;
        var losses = new double[100];
        _response = BinaryLogLossResponse.From(BinaryCrossEntropy.Evaluate(Input(_request), losses), NumberColumn.Of(losses));
    }

    private static BinaryInput Input(BinaryLogLossRequest request) =>
        new(request.Labels!.Span, request.Probabilities!.Span, PredictionKind.Probabilities, default, request.LibraryOptions());

    [Benchmark(Description = "parse floor (Utf8JsonReader loop into arrays)")]
    public int ParseFloor() => JsonFloor.Parse(_bodies.Json, new double[100], new double[100]);

    [Benchmark(Description = "parse the body")]
    public int Parse()
    {
        using var request = JsonSerializer.Deserialize(_bodies.Json, BinaryLogLossJsonContext.Default.BinaryLogLossRequest)!;
        return request.SampleCount;
    }

    [Benchmark(Description = "validate")]
    public bool Validate() => _validator.Validate(_request).IsValid;

    [Benchmark(Description = "score with losses")]
    public double Score()
    {
        using var losses = NumberColumn.Allocate(100);
        return BinaryCrossEntropy.Evaluate(Input(_request), losses.WritableSpan).MeanLoss;
    }

    [Benchmark(Description = "write floor (Utf8JsonWriter, the 100 losses only)")]
    public int WriteFloor() => JsonFloor.Write(_output, _response.Losses!.Span);

    [Benchmark(Description = "write the response")]
    public int Write()
    {
        _output.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_output);
        JsonSerializer.Serialize(writer, _response, BinaryLogLossJsonContext.Default.BinaryLogLossResponse);
        return _output.WrittenCount;
    }
}
