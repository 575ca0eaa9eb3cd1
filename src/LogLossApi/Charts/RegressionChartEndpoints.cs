using LogLossApi.Hosting;
using LogLossApi.Regression;
using LogLossApi.Scoring;
using LogLossApi.Validation;
using LogLossApi.Wire.Columns;
using LogLossApi.Wire.Input.Tabular;

namespace LogLossApi.Charts;

public static class RegressionChartEndpoints
{
    public static RouteHandlerBuilder MapRegressionCharts(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/logistic-regression/chart", Draw)
            .WithName("DrawLogisticRegressionChart")
            .WithSummary("The article's Figures 0–7 for your x and labels: the points, the fitted sigmoid, the bars under and above it")
            .WithDescription(Description)
            .WithTags("Charts")
            .AcceptsScoringBody<LogisticRegressionRequest>()
            .Produces<string>(StatusCodes.Status200OK, "image/png", "image/svg+xml")
            .WithMetadata(new TabularQueryMetadata(["kind"]))
            .WithMetadata(new QueryEnumMetadata("kind", Kinds, "fit"))
            .WithWarmUp(() => [WarmUpRequest.Example(LogisticRegressionJsonContext.Default.LogisticRegressionRequest) with { Rounds = 2 }])
            .ProducesProblem(StatusCodes.Status406NotAcceptable);

    private static readonly string[] Kinds = ChartEndpoints.KindNames<RegressionChartKind>();

    private static IResult Draw(LogisticRegressionRequest request, HttpContext context, string? kind)
    {
        var problems = new RowProblems();
        if (!ChartEndpoints.TryParseKind(kind, RegressionChartKind.Fit, out var chart))
        {
            problems.Add("kind", $"Unknown chart kind '{kind}': must be one of {string.Join(", ", Kinds)}.");
        }

        if (request.X!.Columns != 1)
        {
            problems.Add("x", $"A picture needs one feature per point (x as N numbers); the first row has {request.X.Columns}. Fit several features with POST /v1/logistic-regression.");
        }

        if (problems.Count > 0)
        {
            return problems.ToProblem();
        }

        if (ChartEndpoints.MediaType(context.Request) is not { } mediaType)
        {
            return ChartEndpoints.NotAcceptable();
        }

        // The fit alone, as /v1/logistic-regression fits it: a picture needs no losses.
        var probabilities = context.Response.DisposeWith(NumberColumn.Allocate(request.SampleCount));
        var fit = LogisticRegression.Fit(request.X.Values.Span, 1, request.Y!.Span, request.LibraryOptions(), probabilities.WritableSpan);
        return ChartEndpoints.Answer(
            RegressionChartRenderer.Draw(chart, request.X.Values.Span, request.Y.Span, probabilities.Span, fit.Coefficients[0], fit.Intercept),
            mediaType);
    }

    private const string Description = """
        The /v1/logistic-regression request body in (`x` as N numbers: one feature; `y` 0/1 labels; the same options and errors), the fit
        made as that endpoint makes it, and one of the article's first pictures out: `image/svg+xml` by default, `image/png` for
        `Accept: image/png`, 800 × 500. Positives are green and negatives red, as in the article.

        - `kind=points`: the feature x of every point on a line (the article's Figure 0).
        - `kind=classes`: the points coloured by class (Figure 1).
        - `kind=split`: the points split into positives above and negatives below (Figure 2).
        - `kind=fit` (default): the fitted sigmoid p(x) = σ(βx + b) through them, β and b in the title (Figure 3).
        - `kind=positivebars`: each positive's p(x) as a green bar from 0 up to the curve (Figure 4).
        - `kind=negativebars`: each negative's 1 − p(x) as a red bar hanging from 1 down to the curve (Figure 5).
        - `kind=bars`: both (Figure 6).
        - `kind=sidebyside`: the bars taken off the x axis and set side by side in the order of x (Figure 7).

        Figures 8–11 need only labels and probabilities: `POST /v1/log-loss/chart` with `kind=probabilities`, `losses`, `lossbars`,
        `labels`. Every SVG scales with its container (a viewBox) and says what it shows (`role="img"`, `aria-label`, `<title>`).
        x with several features is a 400 (a picture has one x axis); an unknown kind is a 400 naming the allowed values; an Accept
        header that allows neither SVG nor PNG is a 406.
        """;
}
