using LogLossApi.Infrastructure;
using LogLossApi.Scoring;
using LogLossApi.Wire;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LogLossApi.BinaryLogLoss;

public static class BinaryLogLossEndpoints
{
    public static RouteGroupBuilder MapBinaryLogLoss(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(string.Empty).WithTags("Log loss");
        group.MapPost("/log-loss", Score)
            .WithName("ScoreBinaryLogLoss")
            .WithSummary("Binary cross-entropy with per-sample losses and the entropy/KL breakdown")
            .WithDescription(Description)
            .Accepts<BinaryLogLossRequest>("application/json")
            .WithScoringLimits()
            .WithValidation<BinaryLogLossRequest>();
        return group;
    }

    private static Ok<BinaryLogLossResponse> Score(BinaryLogLossRequest request, HttpResponse response)
    {
        var losses = request.IncludeLosses ? response.DisposeWith(NumberColumn.Allocate(request.SampleCount)) : null;
        var report = BinaryCrossEntropy.Evaluate(request.ToInput(), losses is null ? default : losses.WritableSpan);
        return TypedResults.Ok(BinaryLogLossResponse.From(report, losses));
    }

    private const string Description = """
        Scores labels yᵢ against predicted probabilities pᵢ = P(y = 1) or logits zᵢ.

        Targets tᵢ = yᵢ(1 − s) + s/2 (s = labelSmoothing). Probabilities are clipped to [ε, 1 − ε] and each one outside
        is counted in clippedCount; logits are never clipped and use ln σ(z) = −softplus(−z), finite for any finite z.
        Each sample's loss is ℓᵢ = −(w₊tᵢ ln p′ᵢ + (1 − tᵢ) ln(1 − p′ᵢ)); meanLoss = Σwᵢℓᵢ / Σwᵢ.

        Choices this service makes where the contract is open:
        - `losses` are unweighted and in input order; samples with weight 0 are scored and counted but do not move any sum.
        - `classes.positive.count` / `classes.negative.count` count labels exactly 1 / exactly 0; soft labels count in neither, but their
          target mass enters both classes' `weight` and `lossSum`.
        - `entropy.*` ignores positiveWeight (cross-entropy of the targets and the predictions); `meanLoss` includes it.
        - `klDivergence` is summed per sample, so crossEntropy = labelEntropy + klDivergence holds to rounding.
        - Sums are compensated (Neumaier over 2048-sample blocks), so means keep full double precision at millions of samples.
        - Numbers must be JSON numbers: "0.5", "NaN" and "Infinity" are rejected; so are values outside double range such as 1e400.
        """;
}
