using LogLossApi.Hosting;
using LogLossApi.Scoring;
using LogLossApi.Validation;
using LogLossApi.Wire.Columns;
using LogLossApi.Wire.Input.Tabular;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LogLossApi.BinaryLogLoss;

public static class BinaryLogLossEndpoints
{
    public static RouteHandlerBuilder MapBinaryLogLoss(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/log-loss", ScoreAsync)
            .WithName("ScoreBinaryLogLoss")
            .WithSummary("Binary cross-entropy with per-sample losses and the entropy/KL breakdown")
            .WithDescription(Description)
            .WithTags("Log loss")
            .AcceptsScoringBody<BinaryLogLossRequest>(tabular: true)
            .Produces<BinaryLogLossResponse>(StatusCodes.Status200OK, "application/json", TabularReader.CsvMediaType, TabularReader.ArrowMediaType)
            .WithWarmUp(() => [.. WarmUpBodies.EveryBody("""{"includeLosses":false,"unit":"bits"}""", "?includeLosses=false", losses: true), new("application/json", WarmUpBodies.Json(WarmUpBodies.Long), Rounds: 10)]);

    /// <summary>
    /// Reads the body's rows block by block into the library's accumulator, checking every value on the way; the
    /// per-sample losses, when asked for, are written block by block too. Only a CSV or Arrow answer, which repeats each
    /// row's label and prediction, collects the rows first.
    /// </summary>
    private static async Task<Results<Ok<BinaryLogLossResponse>, CsvLosses, ArrowLosses, ValidationProblem>> ScoreAsync(BinaryLogLossRequest request, HttpContext context)
    {
        var problems = new RowProblems();
        var rows = request.Rows();
        var options = request.LibraryOptions();
        var optionProblems = options.Problems();

        // With options out of range the rows are still read, so that every error is answered at once.
        var accumulator = optionProblems.Count == 0 ? new BinaryLogLossAccumulator(options, rows.Kind, rows.Weighted) : null;
        var format = LossesAnswer.Of(context.Request);
        if (format != LossesFormat.Json)
        {
            if (format == LossesFormat.Csv && request.IncludeState)
            {
                problems.Add("options.includeState", "A CSV answer carries the per-sample losses only: ask for JSON (Accept: application/json) or Arrow (Accept: application/vnd.apache.arrow.stream, the state in its metadata) to get the state.");
            }

            var columns = await rows.CollectAsync(problems, context.RequestAborted);
            problems.AddOptions(optionProblems);
            if (accumulator is null || problems.Count > 0)
            {
                return problems.ToProblem();
            }

            var scored = context.Response.DisposeWith(NumberColumn.Allocate(columns.Labels.Length));
            accumulator.Add(columns.Labels.Span, columns.Predictions.Span, columns.Weights is null ? default : columns.Weights.Span, scored.WritableSpan);
            return format == LossesFormat.Csv
                ? new CsvLosses(columns, scored)
                : new ArrowLosses(columns, scored, BinaryLogLossResponse.From(accumulator.ToReport(), null, request.IncludeState ? accumulator.ToState() : null));
        }

        // A JSON body's losses go straight into a column of its length; a streamed body's through a builder.
        var column = request.IncludeLosses && request.Tabular is null ? context.Response.DisposeWith(NumberColumn.Allocate(request.SampleCount)) : null;
        using var builder = request.IncludeLosses && request.Tabular is not null ? new NumberColumnBuilder() : null;
        var buffer = builder is null ? [] : new double[RowBlock.Capacity];
        while (await rows.ReadCheckedAsync(problems, context.RequestAborted))
        {
            if (accumulator is null || problems.Count > 0)
            {
                continue;
            }

            var n = rows.Labels.Length;
            var losses = column is not null ? column.WritableSpan.Slice((int)rows.FirstRow, n) : buffer.AsSpan(0, builder is null ? 0 : n);
            accumulator.Add(rows.Labels, rows.Predictions, rows.Weights, losses);
            builder?.AddRange(losses);
        }

        problems.AddOptions(optionProblems);
        return accumulator is null || problems.Count > 0
            ? problems.ToProblem()
            : TypedResults.Ok(BinaryLogLossResponse.From(
                accumulator.ToReport(),
                builder is null ? column : context.Response.DisposeWith(builder.Build()),
                request.IncludeState ? accumulator.ToState() : null));
    }

    private const string Description = """
        Scores labels yᵢ against predicted probabilities pᵢ = P(y = 1) or logits zᵢ.

        Targets tᵢ = yᵢ(1 − s) + s/2 (s = labelSmoothing). Probabilities are clipped to [ε, 1 − ε] and each one outside
        is counted in clippedCount; logits are never clipped and use ln σ(z) = −softplus(−z), finite for any finite z.
        Each sample's loss is ℓᵢ = −(w₊tᵢ ln p′ᵢ + (1 − tᵢ) ln(1 − p′ᵢ)); meanLoss = Σwᵢℓᵢ / Σwᵢ.

        The upper clip: a forecast clipped at 1 − ε scores exactly −ln ε for label 0, as in real arithmetic (below the clip
        ln(1 − p′ᵢ) is log1p(−p′ᵢ), which is then above ln ε). scikit-learn and PyTorch compute ln(1 − fl(1 − ε)) in float64 instead, which
        differs in the last digits (ε = 1e-7: 16.118095650958 here, 16.118095651485 there; with the default ε = 2⁻⁵² the two
        agree). PyTorch's `binary_cross_entropy` also does not clip: it caps ln at −100 (a loss of at most 100).

        At the extremes: every accepted input gets a number or null, never an error. Weights are scaled by powers of two
        before they are summed or squared, so every figure is the same for weights multiplied by any positive constant
        (1e-300 … 1e300); a figure whose true value is not a finite double (perplexity once crossEntropy exceeds 709.78
        nats, a sum beyond ±1.8e308) is null; a zero is never written −0.

        Details (the full reference is docs/api.md in the repository):
        - `losses` are unweighted and in input order; samples with weight 0 are scored and counted but do not move any sum.
        - `classes.positive.count` / `classes.negative.count` count labels exactly 1 / exactly 0; soft labels count in neither, but their
          target mass enters both classes' `weight` and `lossSum`.
        - `entropy.*` ignores positiveWeight (cross-entropy of the targets and the predictions); `meanLoss` includes it.
        - `klDivergence` is summed per sample, so crossEntropy = labelEntropy + klDivergence holds to rounding.
        - Sums are compensated (Neumaier over 2048-sample blocks), so means keep full double precision at millions of samples.
        - Numbers must be JSON numbers: "0.5", "NaN" and "Infinity" are rejected; so are values outside double range such as 1e400.

        Other media types:
        - `text/csv` (a header row naming the columns `label`, `probability` or `logit`, and optionally `weight`; comma-separated,
          RFC 4180 quoting) and `application/vnd.apache.arrow.stream` (an Arrow IPC stream with columns of those names, any integer or
          floating-point type, no nulls), and `application/vnd.apache.parquet` (a Parquet file with flat columns of those names:
          double, float, any integer width or boolean; no nulls). Options go in the query string:
          `?unit=bits&epsilon=1e-7&includeLosses=false`; an unknown parameter is an error. Errors are keyed `rows[41].probability`
          for CSV and `probability[41]` for Arrow and Parquet.
        - CSV and Arrow bodies are validated and scored block by block as they arrive; with `includeLosses=false` (and a JSON
          response) in constant memory whatever the row count. A Parquet file's footer is at its end, so its body is held
          whole, then read row group by row group. `Limits:MaxSamples` still applies.
        - `Accept: text/csv` returns the per-sample losses as CSV, `index,label,probability,loss` (`logit` for logits), streamed;
          `includeLosses` is then implied.
        - `Accept: application/vnd.apache.arrow.stream` returns them as an Arrow IPC stream, columns `index` (int64), `label`,
          `probability` or `logit`, and `loss` (float64, null where JSON writes null), in record batches of 65,536 rows; the
          schema's metadata `loglossapi.report` holds this JSON answer without `losses` (and with `state` when asked for).
        """;
}
