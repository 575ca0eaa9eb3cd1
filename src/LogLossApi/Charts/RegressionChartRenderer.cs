using ScottPlot;

namespace LogLossApi.Charts;

/// <summary>
/// The article's Figures 0–7, from one feature x, the labels y and the fitted model's probabilities p(x) = σ(βx + b):
/// the points on a line, coloured, split by class, the sigmoid through them, the bars under and above it, and the bars
/// set side by side. Drawn as <see cref="ChartRenderer"/> draws (800 × 500, the same colours, a text alternative).
/// </summary>
public static class RegressionChartRenderer
{
    /// <param name="kind">Which figure.</param>
    /// <param name="x">The feature of each point.</param>
    /// <param name="y">Each point's label, 0 or 1.</param>
    /// <param name="p">The fitted P(y = 1 | x) of each point.</param>
    /// <param name="coefficient">β.</param>
    /// <param name="intercept">b.</param>
    public static ChartRenderer.Chart Draw(RegressionChartKind kind, ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> p, double coefficient, double intercept)
    {
        var points = new Point[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            points[i] = new Point(x[i], y[i] >= 0.5, p[i]);
        }

        if (kind == RegressionChartKind.SideBySide)
        {
            return SideBySide(points.OrderBy(q => q.X).Select(q => (q.Positive, q.P)), "points, in the order of x");
        }

        var (low, high) = (points.Min(q => q.X), points.Max(q => q.X));
        var pad = Math.Max((high - low) * 0.08, 0.5);
        var plot = new Plot();
        var positives = points.Count(q => q.Positive);
        var negatives = points.Length - positives;
        var model = ChartRenderer.Invariant($"σ({coefficient:0.0000} x {(intercept < 0 ? "−" : "+")} {Math.Abs(intercept):0.0000})");
        string description;
        switch (kind)
        {
            case RegressionChartKind.Points:
                plot.Title("The feature x of every point");
                Markers(plot, points, q => 0, ChartRenderer.Curve, "points");
                Line(plot, low - pad, high + pad);
                description = ChartRenderer.Invariant($"{points.Length} points on a line, by their feature x from {low:0.##} to {high:0.##}.");
                break;
            case RegressionChartKind.Classes:
                plot.Title("The points coloured by their class");
                ByClass(plot, points, _ => 0);
                Line(plot, low - pad, high + pad);
                description = ChartRenderer.Invariant($"The same {points.Length} points on the line of x, coloured by class: {positives} positives (y = 1) in green, {negatives} negatives (y = 0) in red.");
                break;
            case RegressionChartKind.Split:
                plot.Title("The points split into positives (above) and negatives (below)");
                ByClass(plot, points, q => q.Positive ? 1 : 0);
                description = ChartRenderer.Invariant($"The points split by class: {positives} positives at y = 1 above, {negatives} negatives at y = 0 below, each at its x.");
                break;
            default:
                plot.Title(kind switch
                {
                    RegressionChartKind.Fit => ChartRenderer.Invariant($"The logistic regression p(x) = {model}"),
                    RegressionChartKind.PositiveBars => "Each positive's probability p(x), under the curve",
                    RegressionChartKind.NegativeBars => "Each negative's probability 1 − p(x), above the curve",
                    _ => "Every point's probability of its true class",
                });
                description = Fitted(plot, kind, points, coefficient, intercept, low - pad, high + pad, model);
                break;
        }

        plot.Axes.Left.Label.Text = kind is RegressionChartKind.Points or RegressionChartKind.Classes ? "" : kind == RegressionChartKind.Split ? "label y" : "probability";
        plot.Axes.Bottom.Label.Text = "feature x";
        if (kind is RegressionChartKind.Points or RegressionChartKind.Classes)
        {
            plot.Axes.SetLimitsY(-1, 1);
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual();
        }
        else
        {
            plot.Axes.SetLimitsY(-0.05, 1.05);
        }

        return new(plot, description);
    }

    private readonly record struct Point(double X, bool Positive, double P);

    private static string Fitted(Plot plot, RegressionChartKind kind, Point[] points, double coefficient, double intercept, double from, double to, string model)
    {
        var xs = Enumerable.Range(0, 201).Select(k => from + ((to - from) * k / 200)).ToArray();
        var curve = plot.Add.ScatterLine(xs, [.. xs.Select(v => 1 / (1 + Math.Exp(-((coefficient * v) + intercept))))], ChartRenderer.Curve);
        curve.LineWidth = 2;
        curve.LegendText = "p(x), the model's P(y = 1)";
        var width = Math.Max((to - from) / 80, 0.02);
        var showPositive = kind is RegressionChartKind.PositiveBars or RegressionChartKind.Bars;
        var showNegative = kind is RegressionChartKind.NegativeBars or RegressionChartKind.Bars;
        var bars = new List<Bar>();
        foreach (var q in points)
        {
            if (q.Positive && showPositive)
            {
                bars.Add(new Bar { Position = q.X, ValueBase = 0, Value = q.P, Size = width, FillColor = ChartRenderer.Positive.WithAlpha(0.75), LineWidth = 0 });
            }
            else if (!q.Positive && showNegative)
            {
                bars.Add(new Bar { Position = q.X, ValueBase = 1, Value = q.P, Size = width, FillColor = ChartRenderer.Negative.WithAlpha(0.75), LineWidth = 0 });
            }
        }

        if (bars.Count > 0)
        {
            plot.Add.Bars(bars);
        }

        ByClass(plot, points, q => q.Positive ? 1 : 0);
        plot.ShowLegend(Alignment.LowerRight);
        var positives = points.Where(q => q.Positive).ToArray();
        var negatives = points.Where(q => !q.Positive).ToArray();
        return kind switch
        {
            RegressionChartKind.Fit => ChartRenderer.Invariant($"The S-shaped curve p(x) = {model} rises from 0 to 1 across x, through the {points.Length} points at y = 0 and y = 1: the model's probability that a point at x is positive."),
            RegressionChartKind.PositiveBars => ChartRenderer.Invariant($"Under the curve, a green bar from 0 up to p(x) at each of the {positives.Length} positives: the probability the model gave their true class, from {Min(positives, q => q.P):0.00} to {Max(positives, q => q.P):0.00}."),
            RegressionChartKind.NegativeBars => ChartRenderer.Invariant($"Above the curve, a red bar hanging from 1 down to p(x) at each of the {negatives.Length} negatives: its length 1 − p(x) is the probability the model gave their true class, from {Min(negatives, q => 1 - q.P):0.00} to {Max(negatives, q => 1 - q.P):0.00}."),
            _ => ChartRenderer.Invariant($"Both: green bars under the curve for the {positives.Length} positives and red bars above it for the {negatives.Length} negatives; each bar's length is the probability of that point's true class."),
        };
    }

    /// <summary>
    /// Figure 7: each point's bar off the x axis, side by side in the given order: a positive's p(x) standing from 0,
    /// a negative's 1 − p(x) hanging from 1 (<paramref name="points"/> give each point's class and P(y = 1)).
    /// </summary>
    public static ChartRenderer.Chart SideBySide(IEnumerable<(bool Positive, double P)> points, string order)
    {
        var plot = new Plot();
        plot.Title("The bars off the x axis, side by side");
        var bars = points.Select((q, i) => q.Positive
            ? new Bar { Position = i, ValueBase = 0, Value = q.P, FillColor = ChartRenderer.Positive, LineWidth = 0 }
            : new Bar { Position = i, ValueBase = 1, Value = q.P, FillColor = ChartRenderer.Negative, LineWidth = 0 }).ToList();
        plot.Add.Bars(bars);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "positive: p(x), from 0", FillColor = ChartRenderer.Positive });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "negative: 1 − p(x), from 1", FillColor = ChartRenderer.Negative });
        plot.ShowLegend(Alignment.LowerRight);
        plot.Axes.Left.Label.Text = "probability";
        plot.Axes.Bottom.Label.Text = order;
        plot.Axes.SetLimitsY(-0.05, 1.05);
        return new(plot, ChartRenderer.Invariant($"The {bars.Count} bars taken off the x axis and set side by side, {order}: green ones standing from 0, red ones hanging from 1; each bar's length is the probability of that point's true class."));
    }

    private static void ByClass(Plot plot, Point[] points, Func<Point, double> height)
    {
        Markers(plot, [.. points.Where(q => q.Positive)], height, ChartRenderer.Positive, "positive (y = 1)");
        Markers(plot, [.. points.Where(q => !q.Positive)], height, ChartRenderer.Negative, "negative (y = 0)");
        plot.ShowLegend();
    }

    private static void Markers(Plot plot, Point[] points, Func<Point, double> height, Color color, string label)
    {
        if (points.Length == 0)
        {
            return;
        }

        var markers = plot.Add.ScatterPoints(points.Select(q => q.X).ToArray(), points.Select(height).ToArray(), color);
        markers.MarkerSize = 11;
        markers.LegendText = label;
    }

    private static void Line(Plot plot, double from, double to)
    {
        var line = plot.Add.Line(from, 0, to, 0);
        line.Color = ChartRenderer.Curve;
        line.LineWidth = 1;
    }

    private static double Min(Point[] points, Func<Point, double> value) => points.Length == 0 ? 0 : points.Min(value);

    private static double Max(Point[] points, Func<Point, double> value) => points.Length == 0 ? 0 : points.Max(value);
}
