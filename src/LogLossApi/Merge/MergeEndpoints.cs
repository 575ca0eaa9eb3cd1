using LogLossApi.BinaryLogLoss;
using LogLossApi.Hosting;
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
            .WithWarmUp(() => [WarmUpRequest.Example(MergeJsonContext.Default.MergeRequest)]);

    /// <summary>Continues an accumulation from every state and merges them, in order, through the library.</summary>
    private static Results<Ok<BinaryLogLossResponse>, ValidationProblem> Merge(MergeRequest request)
    {
        var states = request.States!;
        var merged = BinaryLogLossAccumulator.FromState(states[0], request.Unit);
        for (var i = 1; i < states.Length; i++)
        {
            merged.Merge(BinaryLogLossAccumulator.FromState(states[i], request.Unit));
        }

        var problems = new RowProblems();
        if (merged.Count == 0)
        {
            problems.Add("states", "The states hold no rows: merge states of responses that scored at least one sample.");
        }
        else if (!merged.HasMass)
        {
            problems.Add("states", "The states' weights sum to 0: at least one row must have a weight above 0.");
        }

        return problems.Count > 0 ? problems.ToProblem() : TypedResults.Ok(BinaryLogLossResponse.From(merged.ToReport(), losses: null, merged.ToState()));
    }

    private const string Description = """
        Scores a dataset too large for one request, or already split across the partitions of a Spark, Dask or SQL job:
        score each piece on any replica with `options.includeState: true` (JSON) or `?includeState=true` (CSV, Arrow),
        keep each response's `state`, then POST the states here. The answer is /v1/log-loss's response for all the
        rows at once (every field but the per-sample `losses`), to 1e-12 relative, plus the merged `state`. Merging is
        associative and commutative, so a job may merge in a tree: merging merged states gives the same answer.

        - A state holds compensated sums (each as its sum and compensation) and the losses' dispersion about their mean
          (combined Chan-style), in nats, with the options that shaped the losses; the unit only shapes the report, so
          it is an option here.
        - States are checked as strictly as rows: an unknown kind or version, a negative or non-finite sum, counts that
          do not add up, or states made with different options (the error names the option and both values) are a 400
          keyed `states[i].field`. More than `Limits:MaxMergeStates` states (default 100,000) is a 413.
        - This version merges binary states (from /v1/log-loss); multiclass, calibration and comparison states are not
          made yet.
        """;
}
