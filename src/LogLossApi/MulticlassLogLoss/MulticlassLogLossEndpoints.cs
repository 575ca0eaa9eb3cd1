using System.Buffers;
using LogLossApi.Hosting;
using LogLossApi.Scoring;
using LogLossApi.Wire.Columns;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LogLossApi.MulticlassLogLoss;

public static class MulticlassLogLossEndpoints
{
    public static RouteHandlerBuilder MapMulticlassLogLoss(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/log-loss/multiclass", Score)
            .WithName("ScoreMulticlassLogLoss")
            .WithSummary("Categorical cross-entropy over C classes, per class and with the entropy/KL breakdown")
            .WithDescription(Description)
            .WithTags("Log loss")
            .AcceptsScoringBody<MulticlassLogLossRequest>()
            .WithWarmUp(() => [WarmUpRequest.Example(MulticlassLogLossJsonContext.Default.MulticlassLogLossRequest)]);

    private static Ok<MulticlassLogLossResponse> Score(MulticlassLogLossRequest request, HttpResponse response)
    {
        var matrix = (request.Probabilities ?? request.Logits)!;
        var labels = ArrayPool<int>.Shared.Rent(request.SampleCount);
        try
        {
            var span = labels.AsSpan(0, request.SampleCount);
            var source = request.Labels!.Span;
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (int)source[i];
            }

            var losses = request.IncludeLosses ? response.DisposeWith(NumberColumn.Allocate(request.SampleCount)) : null;
            var accumulator = new MulticlassLogLossAccumulator(
                request.LibraryOptions(),
                matrix.Columns,
                request.Probabilities is null ? PredictionKind.Logits : PredictionKind.Probabilities,
                weighted: request.Weights is not null);
            accumulator.Add(span, matrix.Values.Span, request.Weights is null ? default : request.Weights.Span, losses is null ? default : losses.WritableSpan);
            return TypedResults.Ok(MulticlassLogLossResponse.From(
                accumulator.ToReport(),
                losses,
                request.ClassNames,
                request.IncludeState ? accumulator.ToState(request.ClassNames) : null));
        }
        finally
        {
            ArrayPool<int>.Shared.Return(labels);
        }
    }

    private const string Description = """
        Scores integer labels yᵢ in 0 … C − 1 against N × C probabilities P or logits z.

        Targets T_ic = (1 − s)[c = yᵢ] + s/C (s = labelSmoothing). A_ic = ln clip(P_ic, ε, 1 − ε) for probabilities, as scikit-learn clips
        (no renormalisation after clipping; clippedCount counts the samples with an entry outside [ε, 1 − ε]), A_ic = z_ic − logsumexp(zᵢ) for logits (stable for any finite z). ℓᵢ = −Σ_c T_ic A_ic and
        meanLoss = Σwᵢℓᵢ / Σwᵢ. With C = 2 and rows [1 − p, p] every shared figure equals /v1/log-loss's, for every ε.
        A figure beyond the double range (perplexity once crossEntropy exceeds 709.78 nats) is null; weights are scaled before
        they are squared, so every figure is the same for weights multiplied by any positive constant.

        Details (the full reference is docs/api.md in the repository):
        - Probability rows must hold values in [0, 1] summing to 1 within 1e-6; with options.renormalize any finite values ≥ 0 (counts,
          unnormalized scores) are accepted and each row is divided by its sum first (a row summing to 0 is an error).
        - The matrix travels as N arrays of C numbers; every row must be as long as the first, and C ≥ 2.
        - `classes` has one entry per class, in index order, including classes no sample has (count 0, meanLoss null).
        - `labelEntropy` is the weighted mean of H(Tᵢ); `klDivergence` = crossEntropy − labelEntropy; `perplexity` = e^(crossEntropy in nats)
          whatever the unit; `normalizedEntropy` = crossEntropy / classEntropy (null when classEntropy is 0).
        - With C = 2 and rows [1 − p, p] every figure it shares with `/v1/log-loss` is equal.
        - Errors are keyed `labels[i]`, `probabilities[i]` (a row: ragged, or not summing to 1) and `probabilities[i][c]` (one value).
        - `options.includeState: true` adds the rows' mergeable `state` (O(C), in nats): score a dataset in pieces and merge the states with
          POST /v1/log-loss/merge, which gives this response for all the rows to 1e-12.
        """;
}
