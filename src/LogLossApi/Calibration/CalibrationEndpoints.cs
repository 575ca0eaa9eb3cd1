using LogLossApi.BinaryLogLoss;
using LogLossApi.Hosting;
using LogLossApi.Scoring;
using LogLossApi.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LogLossApi.Calibration;

public static class CalibrationEndpoints
{
    public static RouteHandlerBuilder MapCalibration(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/log-loss/calibration", Decompose)
            .WithName("DecomposeLogLoss")
            .WithSummary("How much of the log loss is miscalibration: CORP decomposition, PAV reliability curve, bins and ECE")
            .WithDescription(Description)
            .WithTags("Log loss")
            .AcceptsScoringBody<CalibrationRequest>(tabular: true)
            .WithWarmUp(() => WarmUpBodies.EveryBody("""{"unit":"bits","bins":20}""", "?bins=20", losses: false));

    /// <summary>The isotonic fit sorts every forecast, so the rows are collected (checked as they arrive), then decomposed.</summary>
    private static async Task<Results<Ok<CalibrationResponse>, ValidationProblem>> Decompose(CalibrationRequest request, HttpContext context)
    {
        var problems = new RowProblems();
        var columns = await request.Rows().CollectAsync(problems, context.RequestAborted);

        if (problems.Count == 0)
        {
            problems.Check(columns.Keys, "labels", columns.Labels.Span, 0, HardLabel);
        }

        problems.AddOptions(request.OptionProblems());
        if (problems.Count > 0)
        {
            return problems.ToProblem();
        }

        var input = columns.ToInput(request.LibraryOptions());
        if (!request.IncludeState)
        {
            return TypedResults.Ok(CalibrationResponse.From(CalibrationDecomposition.Evaluate(input, request.Bins)));
        }

        var (report, histogram) = CalibrationDecomposition.EvaluateWithHistogram(input, request.Bins, request.Options?.StateBuckets ?? CalibrationHistogram.DefaultBuckets);
        return TypedResults.Ok(CalibrationResponse.From(report, histogram.ToState()));
    }

    private static readonly ValueRule HardLabel = ValueRule.PerValue(label => label is 0.0 or 1.0
        ? null
        : "Must be 0 or 1: calibration compares forecasts with observed events, so soft labels cannot be used here.");

    private const string Description = """
        The CORP decomposition of the log score (Dimitriadis, Gneiting & Jordan, PNAS 2021). The forecasts are sorted, tied
        forecasts pooled, and pool-adjacent-violators gives the isotonic recalibration p̂ (weights respected). With S the
        weighted mean log loss and r the base rate: miscalibration = S(p) − S(p̂), discrimination = S(r) − S(p̂),
        uncertainty = S(r) = H(r), and meanLoss = miscalibration − discrimination + uncertainty.

        Details (the full reference is docs/api.md in the repository):
        - Labels must be exactly 0 or 1; soft labels are a 400 naming each one.
        - meanLoss is /v1/log-loss's meanLoss for the same input (probabilities clipped to [ε, 1 − ε], logits exact); p̂ is not clipped.
        - PAV merges neighbouring blocks until their rates increase strictly, so `reliability` is a strictly increasing step function.
        - Samples of weight 0 are in no block and no bin.
        - Bins are equal-width over [0, 1]: bin k of B holds the forecasts f with k/B ≤ f < (k + 1)/B (those doubles), decided by
          comparing f with the edges, never by rounding f·B (0.8999999999999999 is in bin 8 of 10); a forecast of exactly 1 belongs to the last bin; `expectedCalibrationError` weights each
          bin by its share of the total weight. For logits the forecasts binned and pooled are σ(z).
        - `text/csv` and `application/vnd.apache.arrow.stream` bodies work as for /v1/log-loss (columns label, probability or logit, weight;
          options epsilon, unit and bins in the query string; errors keyed rows[i].label or label[i]). The isotonic fit needs every row
          sorted, so these bodies are collected into columns rather than streamed.
        - `options.includeState: true` (`?includeState=true`) adds the rows' mergeable `state`: a histogram of the forecasts over
          `options.stateBuckets` equal-width buckets (10 … 1,000,000, default 10,000). POST /v1/log-loss/merge merges such states into
          an approximate decomposition (`"approximate": true`): meanLoss, uncertainty and the bins whose edges fall on bucket edges exact,
          miscalibration and discrimination at most their exact values.
        """;
}
