using LogLossApi.Scoring;
using ScottPlot;

namespace LogLossApi.Charts;

/// <summary>
/// Draws the article's pictures with ScottPlot 5 at 800 × 500: the same two class colours in every kind, axis titles,
/// a legend, the unit on the loss axis. At most <see cref="MaxPoints"/> points are drawn (every k-th in sorted or
/// input order), and the title says so.
/// </summary>
public static class ChartRenderer
{
    public const int Width = 800;
    public const int Height = 500;
    public const int MaxPoints = 5_000;

    public static readonly Color Positive = Color.FromHex("#1f77b4");
    public static readonly Color Negative = Color.FromHex("#d62728");
    public static readonly Color Accent = Color.FromHex("#2ca02c");

    public static Plot Draw(ChartKind kind, in BinaryInput input, ReadOnlySpan<double> losses, BinaryLogLossReport report, CalibrationReport? calibration)
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
            _ => Reliability(calibration!, report),
        };
    }

    /// <summary>The probability each point's model gave its true class: p for y = 1, 1 − p for y = 0.</summary>
    public static double TrueClassProbability(double label, double prediction, PredictionKind kind)
    {
        var p = BinaryCrossEntropy.ProbabilityOf(prediction, kind);
        return label >= 0.5 ? p : 1 - p;
    }

    private static Plot Probabilities(List<Point> points, BinaryLogLossReport report)
    {
        var plot = NewPlot(Title("Probability of the true class", (int)report.Count));
        var bars = points.OrderBy(p => p.P).Select((p, rank) => new Bar { Position = rank, Value = p.P, FillColor = p.Positive ? Positive : Negative, LineWidth = 0 }).ToList();
        plot.Add.Bars(bars);
        Legend(plot, ("positive (y = 1)", Positive), ("negative (y = 0)", Negative));
        plot.XLabel("points, sorted by the probability of their true class");
        plot.YLabel("predicted probability of the true class");
        plot.Axes.SetLimitsY(0, 1);
        return plot;
    }

    private static Plot Losses(List<Point> points, BinaryLogLossReport report)
    {
        var unit = report.Unit == LossUnit.Bits ? "bits" : "nats";
        var scale = report.Unit.FromNats();
        var plot = NewPlot(Title(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Mean loss {report.MeanLoss:0.0000} {unit}"), (int)report.Count));
        var curveX = Enumerable.Range(1, 400).Select(k => k / 400.0).ToArray();
        var curve = plot.Add.ScatterLine(curveX, [.. curveX.Select(p => -Math.Log(p) * scale)], Color.FromHex("#7f7f7f"));
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
        return plot;
    }

    private static Plot Reliability(CalibrationReport calibration, BinaryLogLossReport report)
    {
        var plot = NewPlot(Title($"Reliability: miscalibration {calibration.Miscalibration:0.0000}, ECE {calibration.ExpectedCalibrationError:0.000}", (int)report.Count));
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.Color = Color.FromHex("#7f7f7f");
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
        return plot;
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
