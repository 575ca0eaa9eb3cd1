using System.Text.Json.Serialization;
using LogLossApi.BinaryLogLoss;
using LogLossApi.Hosting;
using LogLossApi.Scoring;
using LogLossApi.Validation;
using LogLossApi.Wire.Input.Json;

namespace LogLossApi.Merge;

/// <summary>States of pieces of one dataset, each from a response made with includeState, to merge into one report.</summary>
/// <param name="States">1 … Limits:MaxMergeStates states, all of one kind and version, made with the same options.</param>
/// <param name="Options">Options that only shape the report: the unit.</param>
public sealed record MergeRequest(BinaryLogLossState[]? States, MergeOptions? Options) : ISampleRequest, IOpenApiExample
{
    /// <summary>Each state counts as one item against the limits.</summary>
    [JsonIgnore]
    public int SampleCount => States?.Length ?? 0;

    /// <summary>The seed's ten points scored in two pieces (rows 0–4 and 5–9).</summary>
    public static object Example => new MergeRequest([Piece(0, 5), Piece(5, 5)], Options: null);

    public static async ValueTask<MergeRequest?> BindAsync(HttpContext context) =>
        await JsonBody.ReadAsync(context, MergeJsonContext.Default.MergeRequest);

    /// <summary>The unit of the merged report.</summary>
    public LossUnit Unit => Options?.Unit ?? LossUnit.Nats;

    private static BinaryLogLossState Piece(int start, int count)
    {
        var accumulator = new BinaryLogLossAccumulator(BinaryLossOptions.Default, PredictionKind.Probabilities, weighted: false);
        accumulator.Add(SeedExample.Labels.AsSpan(start, count), SeedExample.Probabilities.AsSpan(start, count), default, default);
        return accumulator.ToState();
    }
}

/// <summary>Options of <c>POST /v1/log-loss/merge</c>.</summary>
/// <param name="Unit">"nats" (default) or "bits": the unit of the merged report (states are in nats).</param>
public sealed record MergeOptions(LossUnit? Unit);
