namespace LogLossApi.Scoring;

/// <summary>
/// The non-empty buckets of a <see cref="CalibrationState"/>, as columns of equal length, by increasing index. Bucket j
/// of M holds the forecasts f with j/M ≤ f &lt; (j + 1)/M (those doubles; the last also holds 1). Sums of weights are
/// stored times 2⁻ᵏ and sums of weighted losses times 2⁻⁽ᵏ⁺ᴸ⁾.
/// </summary>
/// <param name="Index">j, strictly increasing, 0 … bucketCount − 1.</param>
/// <param name="Count">Rows with weight above 0 in the bucket, ≥ 1.</param>
/// <param name="Weight">Σw.</param>
/// <param name="Positive">Σw·y, at most Σw.</param>
/// <param name="Forecast">Σw·f, at most Σw.</param>
/// <param name="Loss">Σw·ℓ, in nats.</param>
public sealed record CalibrationBuckets(int[] Index, long[] Count, double[] Weight, double[] Positive, double[] Forecast, double[] Loss);

/// <summary>
/// What a calibration decomposition can be merged from, O(non-empty buckets) in size: a sparse histogram of the
/// forecasts over bucketCount equal-width buckets. Exact for the mean loss, the uncertainty and every bin whose edges
/// fall on bucket edges; the isotonic fit over buckets is at most as good as the exact one.
/// </summary>
/// <remarks>Kept by <see cref="CalibrationHistogram"/>; reported by <see cref="CalibrationHistogram.ToReport"/>.</remarks>
/// <param name="Kind">"calibration".</param>
/// <param name="Version">1.</param>
/// <param name="Epsilon">The clip the losses were computed with.</param>
/// <param name="Predictions">"probabilities" or "logits".</param>
/// <param name="BucketCount">M, from <see cref="CalibrationHistogram.MinBuckets"/> to <see cref="CalibrationHistogram.MaxBuckets"/>.</param>
/// <param name="Count">Rows, those of weight 0 included.</param>
/// <param name="WeightExponent">k.</param>
/// <param name="LossExponent">L.</param>
/// <param name="Buckets">The non-empty buckets.</param>
public sealed record CalibrationState(
    string Kind,
    int Version,
    double Epsilon,
    string Predictions,
    int BucketCount,
    long Count,
    int WeightExponent,
    int LossExponent,
    CalibrationBuckets Buckets) : LogLossState(Kind, Version)
{
    /// <summary>The <see cref="LogLossState.Kind"/> of a calibration state.</summary>
    public const string CalibrationKind = "calibration";

    // Sums of the same rows rounded separately: Σwy and Σwf may exceed Σw by rounding, never by more.
    private const double RoundingSlack = 1e-12;

    /// <inheritdoc/>
    public override IReadOnlyList<OptionProblem> Problems()
    {
        if (KindProblems(CalibrationKind) is { } kind)
        {
            return kind;
        }

        var problems = new List<OptionProblem>(new BinaryLossOptions(Epsilon, LossUnit.Nats, 1.0, 0.0).Problems());
        StateRules.Predictions(problems, Predictions);
        problems.AddRange(CalibrationHistogram.BucketProblems(BucketCount).Select(p => p with { Option = "bucketCount" }));
        StateRules.Exponents(problems, "weightExponent", WeightExponent, LossExponent);
        var b = Buckets;
        if (b is null || b.Index is null || b.Count is null || b.Weight is null || b.Positive is null || b.Forecast is null || b.Loss is null)
        {
            problems.Add(new("buckets", "Must hold the columns index, count, weight, positive, forecast and loss."));
            return problems;
        }

        var n = b.Index.Length;
        if (b.Count.Length != n || b.Weight.Length != n || b.Positive.Length != n || b.Forecast.Length != n || b.Loss.Length != n)
        {
            problems.Add(new("buckets", "Every column must have one entry per bucket index."));
            return problems;
        }

        long rows = 0;
        for (var i = 0; i < n; i++)
        {
            if (b.Index[i] < 0 || b.Index[i] >= BucketCount || (i > 0 && b.Index[i] <= b.Index[i - 1]))
            {
                problems.Add(new($"buckets.index[{i}]", i > 0 && b.Index[i] == b.Index[i - 1]
                    ? "Repeated: each bucket appears once."
                    : "Must be from 0 to bucketCount − 1, strictly increasing."));
            }

            if (b.Count[i] < 1)
            {
                problems.Add(new($"buckets.count[{i}]", "Must be ≥ 1: only non-empty buckets are listed."));
            }

            rows += Math.Max(0, b.Count[i]);
            var weight = b.Weight[i];
            if (!(double.IsFinite(weight) && weight >= 0))
            {
                problems.Add(new($"buckets.weight[{i}]", "Must be finite and ≥ 0."));
                continue;
            }

            var limit = weight * (1 + RoundingSlack);
            Bounded(problems, "positive", i, b.Positive[i], limit);
            Bounded(problems, "forecast", i, b.Forecast[i], limit);
            if (!(double.IsFinite(b.Loss[i]) && b.Loss[i] >= 0))
            {
                problems.Add(new($"buckets.loss[{i}]", "Must be finite and ≥ 0."));
            }
        }

        if (Count < rows)
        {
            problems.Add(new("count", "Must be at least the sum of the buckets' counts."));
        }

        return problems;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<OptionProblem> DifferencesFrom(LogLossState first)
    {
        var problems = new List<OptionProblem>(0);
        if (first is CalibrationState other)
        {
            StateRules.Differs(problems, "epsilon", other.Epsilon, Epsilon);
            StateRules.Differs(problems, "predictions", other.Predictions, Predictions);
            StateRules.Differs(problems, "bucketCount", other.BucketCount, BucketCount);
        }

        return problems;
    }

    private static void Bounded(List<OptionProblem> problems, string column, int i, double value, double limit)
    {
        if (!(double.IsFinite(value) && value >= 0 && value <= limit))
        {
            problems.Add(new($"buckets.{column}[{i}]", "Must be finite, ≥ 0 and at most the bucket's weight."));
        }
    }
}
