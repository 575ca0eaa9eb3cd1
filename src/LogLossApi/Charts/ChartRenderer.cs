using LogLossApi.Scoring;
using ScottPlot;

namespace LogLossApi.Charts;

/// <summary>
/// Draws the article's pictures with ScottPlot 5 at 800 × 500: the article's two class colours (positives green,
/// negatives red) in every kind, axis titles, a legend, the unit on the loss axis, and a text alternative that says
/// what the picture shows. At most <see cref="MaxPoints"/> points are drawn (every k-th in sorted or input order), and
/// the title says so.
/// </summary>
public static class ChartRenderer
{
    public const int Width = 800;
    public const int Height = 500;
    public const int MaxPoints = 5_000;

    public static readonly Color Positive = Color.FromHex("#2ca02c");
    public static readonly Color Negative = Color.FromHex("#d62728");
    public static readonly Color Accent = Color.FromHex("#ff7f0e");
    public static readonly Color Curve = Color.FromHex("#555555");

    /// <summary>A picture and its text alternative: what it shows, in a sentence or two with its numbers.</summary>
    public sealed record Chart(Plot Plot, string Description)
    {
        /// <summary>
        /// The SVG, scalable (a viewBox, so that it shrinks with its container instead of being cropped) and
        /// accessible (role img, its description as the label and as the title).
        /// </summary>
        public string ToSvg()
        {
            var svg = Plot.GetSvgXml(Width, Height);
            var start = svg.IndexOf("<svg", StringComparison.Ordinal);
            var close = svg.IndexOf('>', start);
            var text = System.Security.SecurityElement.Escape(Description);
            return new System.Text.StringBuilder(svg.Length + (2 * text.Length) + 128)
                .Append(svg, 0, start + 4)
                .Append(System.Globalization.CultureInfo.InvariantCulture, $" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{text}\"")
                .Append(svg, start + 4, close - start - 4)
                .Append("><title>").Append(text).Append("</title>")
                .Append(svg, close + 1, svg.Length - close - 1)
                .ToString();
        }

        public byte[] ToPng() => Plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    public static Chart Draw(ChartKind kind, in BinaryInput input, ReadOnlySpan<double> losses, BinaryLogLossReport report, CalibrationReport? calibration)
    {
        var points = new List<Point>(Math.Min(input.Labels.Length, MaxPoints));
        foreach (var i in Sampled(input.Labels.Length))
        {
            points.Add(new Point(input.Labels[i] >= 0.5, TrueClassProbability(input.Labels[i], input.Predictions[i], input.Kind), losses[i]));
        }

        return kind switch
        {
            ChartKind.Probabilities => Probabilities(points, report),
            ChartKind.Losses => Losses(points, report),
            ChartKind.LossBars => LossBars(points, report),
            ChartKind.Labels => Labels(input, report),
            ChartKind.SideBySide => RegressionChartRenderer.SideBySide(points.Select(p => (p.Positive, p.Positive ? p.P : 1 - p.P)), "points, in input order"),
            _ => Reliability(calibration!, report),
        };
    }

    /// <summary>The probability each point's model gave its true class: p for y = 1, 1 − p for y = 0.</summary>
    public static double TrueClassProbability(double label, double prediction, PredictionKind kind)
    {
        var p = BinaryCrossEntropy.ProbabilityOf(prediction, kind);
        return label >= 0.5 ? p : 1 - p;
    }

    private static Chart Probabilities(List<Point> points, BinaryLogLossReport report)
    {
        var plot = NewPlot(Title("Probability of the true class", (int)report.Count));
        var bars = points.OrderBy(p => p.P).Select((p, rank) => new Bar { Position = rank, Value = p.P, FillColor = p.Positive ? Positive : Negative, LineWidth = 0 }).ToList();
        plot.Add.Bars(bars);
        Legend(plot, ("positive (y = 1)", Positive), ("negative (y = 0)", Negative));
        plot.XLabel("points, sorted by the probability of their true class");
        plot.YLabel("predicted probability of the true class");
        plot.Axes.SetLimitsY(0, 1);
        return new(plot, Invariant($"Bar chart of {points.Count} points' predicted probability of their true class, sorted from {points.Min(p => p.P):0.00} to {points.Max(p => p.P):0.00}, all on one baseline: {points.Count(p => p.Positive)} positives in green, {points.Count(p => !p.Positive)} negatives in red."));
    }

    private static Chart Losses(List<Point> points, BinaryLogLossReport report)
    {
        var unit = report.Unit == LossUnit.Bits ? "bits" : "nats";
        var scale = report.Unit.FromNats();
        var plot = NewPlot(Title(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Mean loss {report.MeanLoss:0.0000} {unit}"), (int)report.Count));
        var curveX = Enumerable.Range(1, 400).Select(k => k / 400.0).ToArray();
        var curve = plot.Add.ScatterLine(curveX, [.. curveX.Select(p => -Math.Log(p) * scale)], Curve);
        curve.LegendText = "−log(p)";
        foreach (var (positive, color, label) in new[] { (true, Positive, "positive (y = 1)"), (false, Negative, "negative (y = 0)") })
        {
            var mine = points.Where(p => p.Positive == positive).ToArray();
            var markers = plot.Add.ScatterPoints(mine.Select(p => p.P).ToArray(), mine.Select(p => p.Loss).ToArray(), color);
            markers.MarkerSize = 8;
            markers.LegendText = label;
        }

        var mean = plot.Add.HorizontalLine(report.MeanLoss, 2, Accent);
        mean.LegendText = $"mean loss {report.MeanLoss:0.0000}";
        plot.XLabel("predicted probability of the true class");
        plot.YLabel($"loss −log(p) ({unit})");
        plot.Axes.SetLimitsX(0, 1);
        plot.ShowLegend(Alignment.UpperRight);
        return new(plot, Invariant($"The curve −log(p) falls from left to right: a point whose true class got probability p loses −log(p) {unit}. {points.Count} points sit on it, the largest loss {points.Max(p => p.Loss):0.0000} {unit}; their mean, the log loss, is {report.MeanLoss:0.0000} {unit}."));
    }

    private static Chart LossBars(List<Point> points, BinaryLogLossReport report)
    {
        var unit = report.Unit == LossUnit.Bits ? "bits" : "nats";
        var plot = NewPlot(Title(Invariant($"The losses and their mean, {report.MeanLoss:0.0000} {unit}"), (int)report.Count));
        plot.Add.Bars(points.Select((p, i) => new Bar { Position = i, Value = p.Loss, FillColor = p.Positive ? Positive : Negative, LineWidth = 0 }).ToList());
        var mean = plot.Add.HorizontalLine(report.MeanLoss, 2, Accent);
        mean.LinePattern = LinePattern.Dashed;
        Legend(plot, ("positive (y = 1)", Positive), ("negative (y = 0)", Negative), (Invariant($"mean loss {report.MeanLoss:0.0000}"), Accent));
        plot.XLabel("points, in input order");
        plot.YLabel($"loss −log(p) ({unit})");
        plot.Axes.SetLimitsY(0, Math.Max(0.1, points.Max(p => p.Loss)) * 1.1);
        return new(plot, Invariant($"Bar chart of each of {points.Count} points' loss, from {points.Min(p => p.Loss):0.0000} to {points.Max(p => p.Loss):0.0000} {unit}, with a dashed line at their mean, the log loss: {report.MeanLoss:0.0000} {unit}."));
    }

    private static Chart Labels(in BinaryInput input, BinaryLogLossReport report)
    {
        var unit = report.Unit == LossUnit.Bits ? "bits" : "nats";
        var (negatives, positives) = (report.Negative.Count, report.Positive.Count);
        var q1 = report.Entropy.BaseRate;
        var entropy = report.Entropy.BaseRateEntropy;
        var plot = NewPlot(Invariant($"q(y): {negatives} negatives, {positives} positives; entropy H(q) = {entropy:0.0000} {unit}"));
        plot.Add.Bars(new List<Bar>
        {
            new() { Position = 0, Value = 1 - q1, FillColor = Negative, LineWidth = 0, Label = Invariant($"q(0) = {1 - q1:0.00}") },
            new() { Position = 1, Value = q1, FillColor = Positive, LineWidth = 0, Label = Invariant($"q(1) = {q1:0.00}") },
        });
        plot.Axes.Bottom.SetTicks([0, 1], ["y = 0 (negative)", "y = 1 (positive)"]);
        plot.XLabel("label y");
        plot.YLabel("q(y), the share of the weight");
        plot.Axes.SetLimitsY(0, 1);
        var soft = input.Labels.Length - (int)(negatives + positives);
        return new(plot, Invariant($"Bar chart of the distribution of the labels: q(0) = {1 - q1:0.00} (negatives, red) and q(1) = {q1:0.00} (positives, green){(soft > 0 ? $", with {soft} soft labels split between them by their value" : "")}; its entropy H(q) is {entropy:0.0000} {unit}."));
    }

    private static Chart Reliability(CalibrationReport calibration, BinaryLogLossReport report)
    {
        var plot = NewPlot(Title($"Reliability: miscalibration {calibration.Miscalibration:0.0000}, ECE {calibration.ExpectedCalibrationError:0.000}", (int)report.Count));
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.Color = Curve;
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LegendText = "perfect calibration";

        var steps = calibration.Reliability.SelectMany(b => new[] { (b.ForecastMin, b.CalibratedProbability), (b.ForecastMax, b.CalibratedProbability) }).ToArray();
        var pav = plot.Add.ScatterLine(steps.Select(s => s.Item1).ToArray(), steps.Select(s => s.Item2).ToArray(), Accent);
        pav.LineWidth = 2;
        pav.LegendText = "isotonic recalibration (PAV)";

        var largest = Math.Max(1, calibration.Bins.Max(b => b.Count));
        foreach (var bin in calibration.Bins.Where(b => b.Count > 0))
        {
            var marker = plot.Add.Marker(bin.MeanForecast!.Value, bin.ObservedRate!.Value, MarkerShape.FilledCircle, (float)(6 + (18 * Math.Sqrt((double)bin.Count / largest))), Positive);
            marker.LegendText = string.Empty;
        }

        Legend(plot, ("bins (size = count)", Positive));
        plot.XLabel("forecast probability");
        plot.YLabel("observed rate of positives");
        plot.Axes.SetLimits(0, 1, 0, 1);
        return new(plot, Invariant($"Reliability diagram: the forecasts, in {calibration.Bins.Count(b => b.Count > 0)} bins sized by count, against the observed rate of positives, beside the dashed diagonal of perfect calibration and the isotonic recalibration; miscalibration {calibration.Miscalibration:0.0000}, expected calibration error {calibration.ExpectedCalibrationError:0.000}."));
    }

    private readonly record struct Point(bool Positive, double P, double Loss);

    private static Plot NewPlot(string title)
    {
        var plot = new Plot();
        plot.Title(title);
        return plot;
    }

    private static void Legend(Plot plot, params (string Text, Color Color)[] items)
    {
        foreach (var (text, color) in items)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = text, FillColor = color });
        }

        plot.ShowLegend();
    }

    /// <summary>Text of a chart (titles, descriptions), with numbers as the API writes them whatever the culture.</summary>
    internal static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private static string Title(string title, int count) =>
        count > MaxPoints ? $"{title} ({MaxPoints:N0} of {count:N0} points drawn)" : title;

    /// <summary>At most <see cref="MaxPoints"/> indices, evenly spaced through the input.</summary>
    private static IEnumerable<int> Sampled(int count)
    {
        if (count <= MaxPoints)
        {
            return Enumerable.Range(0, count);
        }

        var step = (double)count / MaxPoints;
        return Enumerable.Range(0, MaxPoints).Select(k => (int)(k * step));
    }
}
