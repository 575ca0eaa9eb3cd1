using System.Text.Json.Serialization;
using LogLossApi.BinaryLogLoss;
using LogLossApi.Hosting;
using LogLossApi.Scoring;

namespace LogLossApi.Calibration;

/// <summary>The CORP decomposition of the mean log loss, the PAV reliability curve and the binned view.</summary>
/// <param name="MeanLoss">S(p) = miscalibration − discrimination + uncertainty; null only beyond the double range (logits near ±1.8e308).</param>
/// <param name="Unit">"nats" or "bits".</param>
/// <param name="Decomposition">Miscalibration, discrimination and uncertainty.</param>
/// <param name="Reliability">The isotonic (PAV) recalibration as blocks of forecasts with one calibrated probability each.</param>
/// <param name="Bins">Equal-width bins over [0, 1], in order, empty ones included with null rates.</param>
/// <param name="ExpectedCalibrationError">Σ weight share · |observedRate − meanForecast| over the bins.</param>
/// <param name="Approximate">true when merged from states: the decomposition ran over the states' buckets (see POST /v1/log-loss/merge); absent for one request, which is exact.</param>
/// <param name="BucketCount">With approximate: the buckets the decomposition ran over.</param>
/// <param name="State">With includeState, or from the merge endpoint: the mergeable state (a histogram of the forecasts, in nats).</param>
public sealed record CalibrationResponse(
    double? MeanLoss,
    LossUnit Unit,
    CalibrationTerms Decomposition,
    IReadOnlyList<ReliabilityBlock> Reliability,
    IReadOnlyList<CalibrationBin> Bins,
    double ExpectedCalibrationError,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Approximate = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? BucketCount = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CalibrationState? State = null) : IOpenApiExample
{
    public static object Example
    {
        get
        {
            var input = new BinaryInput(SeedExample.Labels, SeedExample.Probabilities, PredictionKind.Probabilities, default, BinaryLossOptions.Default);
            return From(CalibrationDecomposition.Evaluate(input, CalibrationRequest.DefaultBins));
        }
    }

    public static CalibrationResponse From(CalibrationReport report, CalibrationState? state = null) => new(
        report.MeanLoss,
        report.Unit,
        new CalibrationTerms(report.Miscalibration, report.Discrimination, report.Uncertainty),
        report.Reliability,
        [.. report.Bins.Select(b => new CalibrationBin(b.Lower, b.Upper, b.Count, b.MeanForecast, b.ObservedRate))],
        report.ExpectedCalibrationError,
        State: state);

    /// <summary>The response of a decomposition merged from states: approximate, over the merged histogram's buckets.</summary>
    public static CalibrationResponse Merged(CalibrationHistogram histogram, int bins) =>
        From(histogram.ToReport(bins), histogram.ToState()) with { Approximate = true, BucketCount = histogram.BucketCount };
}

/// <summary>The three CORP terms.</summary>
/// <param name="Miscalibration">S(p) − S(p̂) ≥ 0: the loss recalibration would remove; null only when meanLoss is.</param>
/// <param name="Discrimination">S(r) − S(p̂) ≥ 0: what the recalibrated forecasts gain over the base rate.</param>
/// <param name="Uncertainty">S(r) = H(r): the loss of always forecasting the base rate.</param>
public sealed record CalibrationTerms(double? Miscalibration, double Discrimination, double Uncertainty);

/// <summary>One bin of the reliability diagram.</summary>
/// <param name="Lower">Lower edge k/B (inclusive): a forecast f is in the bin when lower ≤ f &lt; upper, decided by comparing f with these doubles, never by rounding f·B.</param>
/// <param name="Upper">Upper edge (k + 1)/B (exclusive; 1 belongs to the last bin).</param>
/// <param name="Count">Samples in the bin.</param>
/// <param name="MeanForecast">Weighted mean forecast, null when empty.</param>
/// <param name="ObservedRate">Weighted share of positives, null when empty.</param>
public sealed record CalibrationBin(double Lower, double Upper, long Count, double? MeanForecast, double? ObservedRate);
