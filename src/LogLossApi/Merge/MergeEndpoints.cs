using System.Text.Json;
using LogLossApi.BinaryLogLoss;
using LogLossApi.Calibration;
using LogLossApi.Comparison;
using LogLossApi.Hosting;
using LogLossApi.MulticlassLogLoss;
using LogLossApi.Scoring;
using LogLossApi.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LogLossApi.Merge;

public static class MergeEndpoints
{
    public static RouteHandlerBuilder MapMerge(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/log-loss/merge", Merge)
            .WithName("MergeStates")
            .WithSummary("Merge the states of pieces of a dataset, scored anywhere, into the report of all its rows")
            .WithDescription(Description)
            .WithTags("Log loss")
            .AcceptsScoringBody<MergeRequest>()
            .Produces<BinaryLogLossResponse>(StatusCodes.Status200OK, "application/json")
            .WithWarmUp(() => [.. MergeRequest.EveryKind().Select(r => new WarmUpRequest("application/json", JsonSerializer.SerializeToUtf8Bytes(r, MergeJsonContext.Default.MergeRequest)))]);

    /// <summary>Continues an accumulation of the states' kind from every state and merges them through the library.</summary>
    private static Results<Ok<BinaryLogLossResponse>, Ok<MulticlassLogLossResponse>, Ok<CompareResponse>, Ok<CalibrationResponse>, ValidationProblem> Merge(MergeRequest request)
    {
        var states = request.States!;
        var unit = request.Unit;
        switch (states[0])
        {
            case BinaryLogLossState:
                var binary = MergeAll(states, s => BinaryLogLossAccumulator.FromState((BinaryLogLossState)s, unit), (a, b) => a.Merge(b));
                return Empty(binary.Count, binary.HasMass) is { } binaryProblem
                    ? binaryProblem
                    : TypedResults.Ok(BinaryLogLossResponse.From(binary.ToReport(), losses: null, binary.ToState()));
            case MulticlassLogLossState multiclassState:
                var multiclass = MergeAll(states, s => MulticlassLogLossAccumulator.FromState((MulticlassLogLossState)s, unit), (a, b) => a.Merge(b));
                return Empty(multiclass.Count, multiclass.HasMass) is { } multiclassProblem
                    ? multiclassProblem
                    : TypedResults.Ok(MulticlassLogLossResponse.From(multiclass.ToReport(), losses: null, multiclassState.ClassNames, multiclass.ToState(multiclassState.ClassNames)));
            case ComparisonState comparisonState:
                var comparison = MergeAll(states, s => ModelComparisonAccumulator.FromState((ComparisonState)s, unit, request.ConfidenceLevel), (a, b) => a.Merge(b));
                string[] names = [.. comparisonState.Models.Select(m => m.Name)];
                return Empty(comparison.Count, comparison.HasMass) is { } comparisonProblem
                    ? comparisonProblem
                    : TypedResults.Ok(CompareResponse.From(comparison.ToReport(), names, unit, comparison.ToState(names)));
            default:
                var histogram = CalibrationHistogram.Merge([.. states.Select(s => CalibrationHistogram.FromState((CalibrationState)s!, unit))]);
                return Empty(histogram.Count, histogram.HasMass) is { } calibrationProblem
                    ? calibrationProblem
                    : TypedResults.Ok(CalibrationResponse.Merged(histogram, request.Bins));
        }
    }

    /// <summary>The first state's accumulation with every other one merged into it, in order.</summary>
    private static T MergeAll<T>(LogLossState?[] states, Func<LogLossState, T> continueFrom, Action<T, T> merge)
    {
        var merged = continueFrom(states[0]!);
        for (var i = 1; i < states.Length; i++)
        {
            merge(merged, continueFrom(states[i]!));
        }

        return merged;
    }

    /// <summary>The problem of states that hold no rows, or no weight; null when a report can be made.</summary>
    private static ValidationProblem? Empty(long count, bool hasMass)
    {
        var problems = new RowProblems();
        if (count == 0)
        {
            problems.Add("states", "The states hold no rows: merge states of responses that scored at least one sample.");
        }
        else if (!hasMass)
        {
            problems.Add("states", "The states' weights sum to 0: at least one row must have a weight above 0.");
        }

        return problems.Count > 0 ? problems.ToProblem() : null;
    }

    private const string Description = """
        Scores a dataset too large for one request, or already split across the partitions of a Spark, Dask or SQL job:
        score each piece on any replica with `options.includeState: true` (JSON) or `?includeState=true` (CSV, Arrow, Parquet) on
        /v1/log-loss, /v1/log-loss/multiclass, /v1/log-loss/calibration or /v1/log-loss/compare, keep each response's
        `state`, then POST the states here. The answer is the response of the endpoint that made the states, for all the
        rows at once (every field but the per-sample `losses`), plus the merged `state`. Merging is associative and
        commutative, so a job may merge in a tree: merging merged states gives the same answer.

        - binary, multiclass and compare states are exact: the merged report equals one request over all the rows to
          1e-12 relative. A state holds compensated sums (each as its sum and compensation) and the losses' dispersion
          about their mean (combined Chan-style), in nats, with the options that shaped the losses. For compare, a row's
          losses under every model must be in the same piece.
        - calibration states are histograms over `bucketCount` equal-width forecast buckets (options.stateBuckets when
          scoring, default 10,000). The merged decomposition runs pool-adjacent-violators over the buckets and says
          `"approximate": true` with its `bucketCount`: meanLoss, uncertainty and every bin whose edges fall on bucket
          edges (bins dividing bucketCount) are exact; miscalibration and discrimination are at most their exact values,
          and equal to them when no bucket holds forecasts the exact fit would put in different blocks; reliability
          blocks are unions of buckets (forecastMin and forecastMax are bucket edges).
        - Options only shape the report: `unit` (states are in nats), `confidenceLevel` (compare only) and `bins`
          (calibration only); an option sent for another kind is a 400.
        - States are checked as strictly as rows: an unknown kind or version, a missing, negative or non-finite sum or
          count, counts that do not add up, a bucket index out of range or repeated, states of different kinds, or states
          made with different options (the error names the option and both values) are a 400 keyed `states[i].field`.
          More than `Limits:MaxMergeStates` states (default 100,000) is a 413.
        """;
}
