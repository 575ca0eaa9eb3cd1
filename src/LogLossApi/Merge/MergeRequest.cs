using System.Text.Json;
using System.Text.Json.Serialization;
using LogLossApi.BinaryLogLoss;
using LogLossApi.Calibration;
using LogLossApi.Hosting;
using LogLossApi.Scoring;
using LogLossApi.Wire.Input.Json;
using LogLossApi.Wire.Limits;
using Microsoft.Extensions.Options;

namespace LogLossApi.Merge;

/// <summary>States of pieces of one dataset, each from a response made with includeState, to merge into one report.</summary>
/// <param name="States">1 … Limits:MaxMergeStates states, all of one kind and version, made with the same options.</param>
/// <param name="Options">Options that only shape the report: the unit, and the confidence level (compare) or bins (calibration).</param>
public sealed record MergeRequest(LogLossState?[]? States = null, MergeOptions? Options = null) : IOpenApiExample
{
    /// <summary>The seed's ten points scored in two pieces (rows 0–4 and 5–9), as JSON: each state written as its kind.</summary>
    public static object Example => JsonSerializer.SerializeToNode(SeedPieces, MergeJsonContext.Default.MergeRequest)!;

    private static MergeRequest SeedPieces => new([Piece(0, 5), Piece(5, 5)]);

    /// <summary>The body; more than <see cref="LimitsOptions.MaxMergeStates"/> states is a 413 before any is checked.</summary>
    public static async ValueTask<MergeRequest?> BindAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, MergeJsonContext.Default.MergeRequest);
        var limit = context.RequestServices.GetRequiredService<IOptions<LimitsOptions>>().Value.MaxMergeStates;
        return request.States?.Length > limit
            ? throw new BadHttpRequestException($"The request has {request.States.Length} states; this service merges at most {limit} at once (merge in a tree).", StatusCodes.Status413PayloadTooLarge)
            : request;
    }

    /// <summary>The unit of the merged report.</summary>
    [JsonIgnore]
    public LossUnit Unit => Options?.Unit ?? LossUnit.Nats;

    /// <summary>The confidence level of a merged comparison's intervals.</summary>
    [JsonIgnore]
    public double ConfidenceLevel => Options?.ConfidenceLevel ?? PairedComparison.DefaultLevel;

    /// <summary>The reliability bins of a merged calibration report.</summary>
    [JsonIgnore]
    public int Bins => Options?.Bins ?? CalibrationRequest.DefaultBins;

    private static readonly int[] PieceStarts = [0, 5];

    /// <summary>The seed's ten points in two pieces as states of every kind (multiclass as the two columns [1 − p, p]), one request each.</summary>
    public static IEnumerable<MergeRequest> EveryKind()
    {
        yield return SeedPieces;
        LogLossState[] multiclass = [.. PieceStarts.Select(start =>
        {
            var accumulator = new MulticlassLogLossAccumulator(MulticlassLossOptions.Default, 2, PredictionKind.Probabilities, weighted: false);
            accumulator.Add([.. SeedExample.Labels.Skip(start).Take(5).Select(y => (int)y)], [.. SeedExample.Probabilities.Skip(start).Take(5).SelectMany(p => new[] { 1 - p, p })], default, default);
            return (LogLossState)accumulator.ToState(null);
        })];
        yield return new MergeRequest(multiclass);
        LogLossState[] comparison = [.. PieceStarts.Select(start =>
        {
            var accumulator = new ModelComparisonAccumulator(BinaryLossOptions.Default, [PredictionKind.Probabilities, PredictionKind.Probabilities], weighted: false, PairedComparison.DefaultLevel);
            accumulator.Add(SeedExample.Labels.AsSpan(start, 5), default, [SeedExample.Probabilities.AsMemory(start, 5), Enumerable.Repeat(0.7, 5).ToArray()]);
            return (LogLossState)accumulator.ToState(["logistic regression", "base rate"]);
        })];
        yield return new MergeRequest(comparison, new MergeOptions(ConfidenceLevel: 0.9));
        LogLossState[] calibration = [.. PieceStarts.Select(start => (LogLossState)CalibrationDecomposition.EvaluateWithHistogram(
            new BinaryInput(SeedExample.Labels.AsSpan(start, 5), SeedExample.Probabilities.AsSpan(start, 5), PredictionKind.Probabilities, default, BinaryLossOptions.Default),
            CalibrationRequest.DefaultBins,
            CalibrationHistogram.DefaultBuckets).Histogram.ToState())];
        yield return new MergeRequest(calibration, new MergeOptions(Bins: 20));
    }

    private static BinaryLogLossState Piece(int start, int count)
    {
        var accumulator = new BinaryLogLossAccumulator(BinaryLossOptions.Default, PredictionKind.Probabilities, weighted: false);
        accumulator.Add(SeedExample.Labels.AsSpan(start, count), SeedExample.Probabilities.AsSpan(start, count), default, default);
        return accumulator.ToState();
    }
}

/// <summary>Options of <c>POST /v1/log-loss/merge</c>.</summary>
/// <param name="Unit">"nats" (default) or "bits": the unit of the merged report (states are in nats).</param>
/// <param name="ConfidenceLevel">compare states only: the level of each difference's interval, in (0, 1) (default 0.95).</param>
/// <param name="Bins">calibration states only: the reliability bins, 1 … 1000 (default 10); exact when they divide the states' bucketCount.</param>
public sealed record MergeOptions(LossUnit? Unit = null, double? ConfidenceLevel = null, int? Bins = null);
