using LogLossApi.Hosting;
using LogLossApi.Wire.Columns;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LogLossApi.Regression;

public static class LogisticRegressionEndpoints
{
    public static RouteHandlerBuilder MapLogisticRegression(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/logistic-regression", Fit)
            .WithName("FitLogisticRegression")
            .WithSummary("Fit scikit-learn's default logistic regression and explain its log loss")
            .WithDescription(Description)
            .WithTags("Logistic regression")
            .AcceptsScoringBody<LogisticRegressionRequest>()
            .WithWarmUp(() => [WarmUpRequest.Example(LogisticRegressionJsonContext.Default.LogisticRegressionRequest)]);

    private static Ok<LogisticRegressionResponse> Fit(LogisticRegressionRequest request, HttpResponse response)
    {
        var probabilities = response.DisposeWith(NumberColumn.Allocate(request.SampleCount));
        var losses = response.DisposeWith(NumberColumn.Allocate(request.SampleCount));
        return TypedResults.Ok(LogisticRegressionResponse.Fit(request, probabilities, losses));
    }

    private const string Description = """
        Fits P(y = 1 | x) = σ(x·β + b) by minimising scikit-learn's `LogisticRegression()` objective
        C · Σᵢ [softplus(zᵢ) − yᵢzᵢ] + ½‖β‖² (intercept unpenalised) with Newton's method (IRLS): the Hessian
        C·Xᵀdiag(p(1 − p))X + diag(1, …, 1, 0) is solved by Cholesky and each step is halved until the objective decreases;
        converged when every entry of the Newton step is below 1e-10 · (1 + |θₖ|), a test that does not depend on the scale of
        C or N, at most 100 steps. For every C from 1e-8 to 1e8 the fit agrees with scikit-learn's
        `LogisticRegression(solver="newton-cholesky", tol=1e-10)` to 1e-6. Features must lie within ±1e150 (the Hessian
        multiplies them); standardise larger ones.

        "Try it out" fits the article's ten points: coefficient 0.97193, intercept 0.65554, and in `logLoss` the table of
        probabilities and losses with meanLoss 0.33291.

        Details (the full reference is docs/api.md in the repository):
        - `x` may be N numbers (one feature) or N rows of F numbers, 1 ≤ F ≤ 1000.
        - Labels of one class only are a 400 (scikit-learn refuses them too: the intercept would diverge). N = 1 is therefore a 400.
        - A constant feature is fine: the L2 term decides its coefficient. Separable data converges to finite coefficients.
        - `logLoss` is the `/v1/log-loss` response for y and the fitted probabilities with default options (nats, ε = 2⁻⁵²).
        - Time grows as O(iterations · N · F²) for the Hessian plus O(F³) per step; typically under 10 steps.
        """;
}
