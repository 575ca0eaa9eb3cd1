using System.Buffers;

namespace LogLossApi.Scoring;

/// <summary>Options of a categorical cross-entropy evaluation.</summary>
/// <param name="Epsilon">Clip for probabilities, 0 &lt; ε &lt; 0.5: A = ln clamp(P, ε, 1 − ε). Ignored for logits.</param>
/// <param name="Unit">Unit of every reported loss, entropy and divergence.</param>
/// <param name="LabelSmoothing">s in [0, 1): targets T_c = (1 − s)[c = y] + s/C.</param>
/// <param name="Renormalize">Divide each probability row by its sum before scoring.</param>
public readonly record struct MulticlassLossOptions(double Epsilon, LossUnit Unit, double LabelSmoothing, bool Renormalize)
{
    /// <summary>ε = 2⁻⁵², nats, no smoothing, rows taken as they are.</summary>
    public static MulticlassLossOptions Default { get; } = new(BinaryLossOptions.DefaultEpsilon, LossUnit.Nats, 0.0, false);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when an option is outside its documented range.</summary>
    public void Validate()
    {
        new BinaryLossOptions(Epsilon, Unit, 1.0, LabelSmoothing).Validate();
    }
}

/// <summary>One categorical scoring problem, as spans.</summary>
/// <param name="Labels">yᵢ in 0 … C − 1.</param>
/// <param name="Predictions">N × C values in row-major order: probabilities (rows summing to 1, or renormalized) or logits.</param>
/// <param name="Classes">C ≥ 2.</param>
/// <param name="Kind">Whether <paramref name="Predictions"/> are probabilities or logits.</param>
/// <param name="Weights">wᵢ ≥ 0 with Σwᵢ &gt; 0, or empty for wᵢ = 1.</param>
/// <param name="Options">Floor, unit, label smoothing, renormalization.</param>
public readonly ref struct MulticlassInput(
    ReadOnlySpan<int> Labels,
    ReadOnlySpan<double> Predictions,
    int Classes,
    PredictionKind Kind,
    ReadOnlySpan<double> Weights,
    MulticlassLossOptions Options)
{
    /// <summary>yᵢ in 0 … C − 1.</summary>
    public ReadOnlySpan<int> Labels { get; } = Labels;

    /// <summary>N × C probabilities or logits, row-major.</summary>
    public ReadOnlySpan<double> Predictions { get; } = Predictions;

    /// <summary>C.</summary>
    public int Classes { get; } = Classes;

    /// <summary>Whether <see cref="Predictions"/> are probabilities or logits.</summary>
    public PredictionKind Kind { get; } = Kind;

    /// <summary>Sample weights, or empty for unit weights.</summary>
    public ReadOnlySpan<double> Weights { get; } = Weights;

    /// <summary>Floor, unit, label smoothing, renormalization.</summary>
    public MulticlassLossOptions Options { get; } = Options;
}

/// <summary>The categorical cross-entropy of N samples over C classes and its entropy / KL breakdown.</summary>
/// <param name="Count">N.</param>
/// <param name="ClassCount">C.</param>
/// <param name="WeightSum">W = Σwᵢ.</param>
/// <param name="MeanLoss">Σwᵢℓᵢ / W.</param>
/// <param name="SumLoss">Σwᵢℓᵢ.</param>
/// <param name="Unit">The unit of every loss and entropy.</param>
/// <param name="ClippedCount">Samples with at least one probability entry outside [ε, 1 − ε] (after renormalization); 0 for logits.</param>
/// <param name="StandardError">√(N/(N − 1) · Σwᵢ²(ℓᵢ − mean)²) / W; null for N = 1.</param>
/// <param name="Classes">Per true class c: #{yᵢ = c}, Σwᵢ, Σwᵢℓᵢ and their mean (null when the weight is 0).</param>
/// <param name="Entropy">Cross-entropy = label entropy + KL; the class distribution q and its entropy H(q).</param>
public sealed record MulticlassLogLossReport(
    long Count,
    int ClassCount,
    double WeightSum,
    double MeanLoss,
    double SumLoss,
    LossUnit Unit,
    long ClippedCount,
    double? StandardError,
    IReadOnlyList<ClassBreakdown> Classes,
    MulticlassEntropy Entropy);

/// <summary>The entropy section of a categorical report.</summary>
/// <param name="CrossEntropy">H_p(T) = Σwᵢ(−Σ_c T_ic A_ic) / W (equals meanLoss).</param>
/// <param name="LabelEntropy">Σwᵢ H(Tᵢ) / W, 0 for hard labels without smoothing.</param>
/// <param name="KlDivergence">crossEntropy − labelEntropy, summed per sample.</param>
/// <param name="ClassDistribution">q_c = Σwᵢ T_ic / W.</param>
/// <param name="ClassEntropy">H(q): the loss of always predicting q.</param>
/// <param name="InformationGain">H(q) − crossEntropy.</param>
/// <param name="NormalizedEntropy">crossEntropy / H(q); null when H(q) = 0.</param>
/// <param name="Perplexity">e^(crossEntropy in nats).</param>
public sealed record MulticlassEntropy(
    double CrossEntropy,
    double LabelEntropy,
    double KlDivergence,
    IReadOnlyList<double> ClassDistribution,
    double ClassEntropy,
    double InformationGain,
    double? NormalizedEntropy,
    double Perplexity);

/// <summary>
/// Categorical cross-entropy. With targets T_ic = (1 − s)[c = yᵢ] + s/C and log-probabilities
/// A_ic = ln clamp(P_ic, ε, 1 − ε) (probabilities, after division by the row sum when renormalizing) or
/// A_ic = z_ic − logsumexp(zᵢ) (logits, with the row maximum subtracted first, so any finite logits are safe),
/// each sample's loss is ℓᵢ = −Σ_c T_ic A_ic and meanLoss = Σwᵢℓᵢ / Σwᵢ. The label entropy is Σwᵢ H(Tᵢ) / W and the
/// KL divergence Σwᵢ(ℓᵢ − H(Tᵢ)) / W, so crossEntropy = labelEntropy + klDivergence. Sums are compensated and
/// scaled by powers of two at extreme weights and losses (<see cref="Kernels.WeightedMoments"/>); a figure beyond the
/// double range (a perplexity above e^709.78) is +∞. With C = 2 and rows [1 − p, p] every figure equals
/// <see cref="BinaryCrossEntropy"/>'s, for every ε and clipped samples included.
/// </summary>
public static class MulticlassCrossEntropy
{
    /// <summary>Scores <paramref name="input"/>; writes each unweighted ℓᵢ (in the unit) into <paramref name="losses"/> unless it is empty.</summary>
    /// <exception cref="ArgumentException">Lengths, labels, values or options outside their documented ranges.</exception>
    public static MulticlassLogLossReport Evaluate(in MulticlassInput input, Span<double> losses)
    {
        Check(input, losses);
        var n = input.Labels.Length;
        var c = input.Classes;
        var options = input.Options;
        var rented = losses.IsEmpty ? ArrayPool<double>.Shared.Rent(n) : null;
        var nats = losses.IsEmpty ? rented.AsSpan(0, n) : losses;
        var logs = ArrayPool<double>.Shared.Rent(c);
        try
        {
            var classCount = new long[c];
            var clipped = 0L;
            var off = options.LabelSmoothing / c;
            var on = 1.0 - options.LabelSmoothing + off;
            for (var i = 0; i < n; i++)
            {
                var row = input.Predictions.Slice(i * c, c);
                var log = logs.AsSpan(0, c);
                clipped += input.Kind == PredictionKind.Logits ? LogSoftmax(row, log) : LogProbabilities(row, log, options);
                var y = input.Labels[i];
                nats[i] = off == 0 ? -log[y] : -(off * Sum(log)) - ((on - off) * log[y]);
                classCount[y]++;
            }

            // Every sample's target row has the same entropy, so Σwᵢ H(Tᵢ) / W is that entropy.
            var h = TargetEntropy(on, off, c);
            var moments = Kernels.WeightedMoments(nats, input.Weights);
            var mean = moments.Mean;
            var (classes, shares) = ClassSums(input, nats, moments, classCount);

            var unit = options.Unit.FromNats();
            if (!losses.IsEmpty && unit != 1.0)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(losses, unit, losses);
            }

            // q_c = Σwᵢ T_ic / W = off + (on − off) · (share of the weight in class c).
            var q = new double[c];
            var classEntropy = 0.0;
            for (var k = 0; k < c; k++)
            {
                q[k] = off + ((on - off) * shares[k]);
                classEntropy -= Kernels.XLogX(q[k]);
            }

            return new MulticlassLogLossReport(
                Count: n,
                ClassCount: c,
                WeightSum: moments.WeightSum,
                MeanLoss: mean * unit,
                SumLoss: moments.Sum * unit,
                Unit: options.Unit,
                ClippedCount: clipped,
                StandardError: moments.StandardError * unit,
                Classes: [.. classes.Select(k => k with { LossSum = k.LossSum * unit, MeanLoss = k.MeanLoss * unit })],
                Entropy: new MulticlassEntropy(
                    CrossEntropy: mean * unit,
                    LabelEntropy: h * unit,
                    KlDivergence: (mean - h) * unit,
                    ClassDistribution: q,
                    ClassEntropy: classEntropy * unit,
                    InformationGain: (classEntropy - mean) * unit,
                    NormalizedEntropy: classEntropy == 0 ? null : mean / classEntropy,
                    Perplexity: Math.Exp(mean)));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(logs);
            if (rented is not null)
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Per true class, Σwᵢ, Σwᵢℓᵢ (in nats) and their ratio, and the class's share of W, with the weights on the scale
    /// 2⁻ᵏ and the losses on the scale 2⁻ᴸ that <see cref="Kernels.WeightedMoments"/> chose, so no sum
    /// overflows (the shares are ratios of scaled sums: finite even when W itself is beyond the double range).
    /// </summary>
    private static (ClassBreakdown[] Classes, double[] Shares) ClassSums(in MulticlassInput input, ReadOnlySpan<double> nats, Kernels.Moments moments, long[] classCount)
    {
        var c = input.Classes;
        var (weightExponent, lossExponent) = (moments.WeightExponent, moments.ValueExponent);
        var weightScale = Math.ScaleB(1.0, -weightExponent);
        var lossScale = Math.ScaleB(1.0, -lossExponent);
        var classWeight = new CompensatedSum[c];
        var classLoss = new CompensatedSum[c];
        for (var i = 0; i < nats.Length; i++)
        {
            var w = input.Weights.IsEmpty ? 1.0 : input.Weights[i] * weightScale;
            var y = input.Labels[i];
            classWeight[y].Add(w);
            classLoss[y].Add(w * (nats[i] * lossScale));
        }

        var result = new ClassBreakdown[c];
        var shares = new double[c];
        var total = classWeight.Sum(w => w.Value);
        for (var k = 0; k < c; k++)
        {
            var weight = classWeight[k].Value;
            shares[k] = weight / total;
            var loss = classLoss[k].Value;
            result[k] = new ClassBreakdown(
                classCount[k],
                Math.ScaleB(weight, weightExponent),
                Math.ScaleB(loss, weightExponent + lossExponent),
                weight == 0 ? null : Math.ScaleB(loss / weight, lossExponent));
        }

        return (result, shares);
    }

    /// <summary>A = z − (max + ln Σ e^(z − max)): the log-sum-exp with the maximum taken out, finite for finite z.</summary>
    private static long LogSoftmax(ReadOnlySpan<double> row, Span<double> log)
    {
        var max = System.Numerics.Tensors.TensorPrimitives.Max(row);
        var sum = 0.0;
        foreach (var z in row)
        {
            sum += Math.Exp(z - max);
        }

        var normalizer = max + Math.Log(sum);
        for (var k = 0; k < row.Length; k++)
        {
            log[k] = row[k] - normalizer;
        }

        return 0;
    }

    /// <summary>
    /// A = ln clamp(P / rowSum, ε, 1 − ε) with rowSum = 1 unless renormalizing (as scikit-learn clips, with no
    /// renormalisation after clipping); returns 1 when any entry of the row lay outside [ε, 1 − ε], else 0.
    /// </summary>
    private static long LogProbabilities(ReadOnlySpan<double> row, Span<double> log, MulticlassLossOptions options)
    {
        var scale = options.Renormalize ? 1.0 / Sum(row) : 1.0;
        var lower = options.Epsilon;
        var upper = 1.0 - options.Epsilon;
        var clipped = false;
        for (var k = 0; k < row.Length; k++)
        {
            var p = row[k] * scale;
            if (p < lower || p > upper)
            {
                clipped = true;
                p = Math.Clamp(p, lower, upper);
            }

            log[k] = Math.Log(p);
        }

        return clipped ? 1 : 0;
    }

    /// <summary>H(T) = −Σ_c T_c ln T_c for one target row: one entry <paramref name="on"/>, C − 1 entries <paramref name="off"/>.</summary>
    private static double TargetEntropy(double on, double off, int classes) =>
        -Kernels.XLogX(on) - ((classes - 1) * Kernels.XLogX(off));

    private static double Sum(ReadOnlySpan<double> values) => System.Numerics.Tensors.TensorPrimitives.Sum(values);

    private static void Check(in MulticlassInput input, Span<double> losses)
    {
        input.Options.Validate();
        var n = input.Labels.Length;
        if (input.Classes < 2)
        {
            throw new ArgumentException("There must be at least two classes.", nameof(input));
        }

        if (n == 0 || input.Predictions.Length != (long)n * input.Classes)
        {
            throw new ArgumentException("There must be at least one sample and one row of C predictions per label.", nameof(input));
        }

        if (!input.Weights.IsEmpty && input.Weights.Length != n)
        {
            throw new ArgumentException("There must be one weight per label.", nameof(input));
        }

        if (!losses.IsEmpty && losses.Length != n)
        {
            throw new ArgumentException("The losses span must be empty or as long as the labels.", nameof(losses));
        }

        foreach (var label in input.Labels)
        {
            if ((uint)label >= (uint)input.Classes)
            {
                throw new ArgumentException("Every label must be a class index in 0 … C − 1.", nameof(input));
            }
        }
    }
}
