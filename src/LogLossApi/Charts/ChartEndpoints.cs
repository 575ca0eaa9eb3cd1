using LogLossApi.BinaryLogLoss;
using LogLossApi.Hosting;
using LogLossApi.Scoring;
using LogLossApi.Validation;
using LogLossApi.Wire.Columns;
using LogLossApi.Wire.Input.Tabular;

namespace LogLossApi.Charts;

public static class ChartEndpoints
{
    private const string Svg = "image/svg+xml";
    private const string Png = "image/png";

    public static RouteHandlerBuilder MapCharts(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/log-loss/chart", Draw)
            .WithName("DrawLogLossChart")
            .WithSummary("The article's pictures for your data: probabilities, losses or reliability, as SVG or PNG")
            .WithDescription(Description)
            .WithTags("Charts")
            .AcceptsScoringBody<BinaryLogLossRequest>(tabular: true)
            .Produces<string>(StatusCodes.Status200OK, Png, Svg)
            .WithMetadata(new TabularQueryMetadata(["kind"]))
            .WithMetadata(new QueryEnumMetadata("kind", Kinds, "probabilities"))
            .WithWarmUp(() => [new WarmUpRequest("application/json", WarmUpBodies.Json(WarmUpBodies.Short), Rounds: 2)])
            .ProducesProblem(StatusCodes.Status406NotAcceptable);

    private static readonly string[] Kinds = KindNames<ChartKind>();

    /// <summary>A chart enum's kinds as the query names them: its names in lower case.</summary>
    internal static string[] KindNames<T>()
        where T : struct, Enum =>
        [.. Enum.GetNames<T>().Select(n => n.ToLowerInvariant())];

    private static async Task<IResult> Draw(BinaryLogLossRequest request, HttpContext context, string? kind)
    {
        var problems = new RowProblems();
        if (!TryParseKind(kind, ChartKind.Probabilities, out var chart))
        {
            problems.Add("kind", $"Unknown chart kind '{kind}': must be one of {string.Join(", ", Kinds)}.");
            return problems.ToProblem();
        }

        if (MediaType(context.Request) is not { } mediaType)
        {
            return NotAcceptable();
        }

        // Every picture needs all rows at once.
        var columns = await request.Rows().CollectAsync(problems, context.RequestAborted);
        if (problems.Count == 0 && chart == ChartKind.Reliability && FirstSoftLabel(columns.Labels.Span) is { } soft)
        {
            problems.Add(columns.Keys.Element("labels", soft), "Must be 0 or 1: the reliability chart compares forecasts with observed events.");
        }

        problems.AddOptions(request.LibraryOptions().Problems());

        if (problems.Count > 0)
        {
            return problems.ToProblem();
        }

        var input = columns.ToInput(request.LibraryOptions());
        var losses = context.Response.DisposeWith(NumberColumn.Allocate(columns.Labels.Length));
        var report = BinaryCrossEntropy.Evaluate(input, losses.WritableSpan);
        var calibration = chart == ChartKind.Reliability ? CalibrationDecomposition.Evaluate(input, 10) : null;
        return Answer(ChartRenderer.Draw(chart, input, losses.Span, report, calibration), mediaType);
    }

    /// <summary>The kind a query names (the enum's name in any case; not a number), or <paramref name="fallback"/> when it names none.</summary>
    internal static bool TryParseKind<T>(string? kind, T fallback, out T chart)
        where T : struct, Enum =>
        Enum.TryParse(kind ?? fallback.ToString(), ignoreCase: true, out chart) && Enum.IsDefined(chart) && !int.TryParse(kind, out _);

    /// <summary>The chart as the media type <see cref="MediaType"/> chose.</summary>
    internal static IResult Answer(ChartRenderer.Chart chart, string mediaType) =>
        mediaType == Png ? TypedResults.File(chart.ToPng(), Png) : TypedResults.Text(chart.ToSvg(), Svg, System.Text.Encoding.UTF8);

    internal static IResult NotAcceptable() => TypedResults.Problem(
        statusCode: StatusCodes.Status406NotAcceptable,
        detail: $"This endpoint produces {Svg} or {Png}; the Accept header allows neither.");

    /// <summary>SVG unless the Accept header prefers PNG; null when it allows neither.</summary>
    internal static string? MediaType(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return Svg;
        }

        foreach (var value in accept.OrderByDescending(a => a.Quality ?? 1.0))
        {
            if ((value.Quality ?? 1.0) <= 0)
            {
                continue;
            }

            var type = value.MediaType.Value;
            if (string.Equals(type, Png, StringComparison.OrdinalIgnoreCase))
            {
                return Png;
            }

            if (string.Equals(type, Svg, StringComparison.OrdinalIgnoreCase) || type is "image/*" or "*/*")
            {
                return Svg;
            }
        }

        return null;
    }

    private static int? FirstSoftLabel(ReadOnlySpan<double> labels)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] is not (0.0 or 1.0))
            {
                return i;
            }
        }

        return null;
    }

    private const string Description = """
        The /v1/log-loss request body in (JSON, CSV, Arrow or Parquet; errors exactly as /v1/log-loss), a chart out: `image/svg+xml` by default,
        `image/png` for `Accept: image/png`, 800 × 500, drawn with ScottPlot 5.

        - `kind=probabilities` (default): each point's predicted probability of its true class as a bar, sorted and stood on one baseline,
          positives green and negatives red (the article's Figure 8).
        - `kind=losses`: the −log(p) curve over (0, 1], every point placed on it by its true-class probability, the mean loss as a line and in
          the title, the unit (nats or bits) on the axis (Figure 9).
        - `kind=lossbars`: each point's loss as a bar in input order and their mean, the log loss, as a dashed line (Figure 10).
        - `kind=labels`: the distribution q(y) of the labels, the shares of negatives and positives, and its entropy H(q) (Figure 11).
        - `kind=sidebyside`: each point's probability of its true class as a bar in input order, positives standing from 0 and negatives
          hanging from 1 (Figure 7 without x; `/v1/logistic-regression/chart?kind=sidebyside` orders them by x).
        - `kind=reliability`: forecast against observed rate: ten equal-width bins as points sized by count, the isotonic (PAV)
          recalibration curve and the diagonal. Needs hard 0/1 labels.

        Figures 0–6, which need the feature x and the fitted model, are drawn by `POST /v1/logistic-regression/chart`.
        Every SVG scales with its container (it has a viewBox) and carries its text alternative: `role="img"`, an `aria-label` and a
        `<title>` that say what it shows, with its numbers.

        With more than 5,000 samples, 5,000 evenly spaced ones are drawn and the title says so (the mean loss is over all of them).
        An unknown kind is a 400 naming the allowed values; an Accept header that allows neither SVG nor PNG is a 406.

        In Swagger UI the response media type defaults to `image/png` (listed first), so "Try it out" shows the chart itself; choose
        `image/svg+xml` to see the SVG markup. Without an Accept header the service answers SVG.
        """;
}
