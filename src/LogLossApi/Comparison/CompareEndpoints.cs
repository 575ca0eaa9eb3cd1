using LogLossApi.Hosting;
using LogLossApi.Scoring;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LogLossApi.Comparison;

public static class CompareEndpoints
{
    public static RouteHandlerBuilder MapCompare(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/log-loss/compare", Handle)
            .WithName("CompareModels")
            .WithSummary("Is model B's loss really lower than model A's? Paired differences with z, p-value and confidence interval")
            .WithDescription(Description)
            .WithTags("Log loss")
            .AcceptsScoringBody<CompareRequest>()
            .WithWarmUp(() => [WarmUpRequest.Example(CompareJsonContext.Default.CompareRequest)]);

    /// <summary>Scores every model and compares each with the first, through the library's comparison accumulator.</summary>
    public static CompareResponse Compare(CompareRequest request)
    {
        var models = request.Models!;
        var accumulator = new ModelComparisonAccumulator(
            request.LibraryOptions(),
            [.. models.Select(m => m.Probabilities is null ? PredictionKind.Logits : PredictionKind.Probabilities)],
            weighted: request.Weights is not null,
            request.ConfidenceLevel);
        accumulator.Add(request.Labels!.Span, request.Weights is null ? default : request.Weights.Span, [.. models.Select(m => (m.Probabilities ?? m.Logits)!.Memory)]);
        string[] names = [.. models.Select(m => m.Name!)];
        return CompareResponse.From(accumulator.ToReport(), names, request.Options?.Unit ?? LossUnit.Nats, request.IncludeState ? accumulator.ToState(names) : null);
    }

    private static Ok<CompareResponse> Handle(CompareRequest request) => TypedResults.Ok(Compare(request));

    private const string Description = """
        Scores the same labels under two or more models and compares each with the first (the reference): per sample
        dᵢ = ℓᵢ(model) − ℓᵢ(reference), meanDifference d̄ = Σwᵢdᵢ / W, its standard error √(N/(N − 1)·Σwᵢ²(dᵢ − d̄)²) / W (the
        estimator /v1/log-loss uses for meanLoss), z = d̄ / SE, two-sided p = 2Φ(−|z|) (no cancellation: accurate far into
        the tail, 0 only beyond the smallest double, |z| > 38.5), and the interval
        d̄ ± Φ⁻¹((1 + level)/2)·SE. Φ and Φ⁻¹ are MathNet.Numerics' normal distribution.

        Details (the full reference is docs/api.md in the repository):
        - Pairing is what makes the test sensitive: the same samples under both models, so sample difficulty cancels out.
        - Identical models give meanDifference 0, standardError 0, z 0 and pValue 1; a nonzero difference with zero spread has z = ±∞,
          which is not a finite double: z is then null and pValue 0.
        - With N = 1 there is no standard error: standardError, z, pValue and confidenceInterval are null.
        - Model names must be unique and non-empty; errors are keyed models[k].name and models[k].probabilities[i].
        - `options.includeState: true` adds the rows' mergeable `state` (each model's binary state and the differences' moments, in nats):
          score a dataset in pieces, a row's losses under every model in the same piece, and merge with POST /v1/log-loss/merge (exact to 1e-12).
        """;
}
