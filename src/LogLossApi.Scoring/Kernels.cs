using System.Numerics;
using System.Numerics.Tensors;

namespace LogLossApi.Scoring;

/// <summary>Span kernels that <see cref="TensorPrimitives"/> lacks or computes less carefully than the losses need.</summary>
internal static class Kernels
{
    /// <summary>Weights are rescaled (by a power of two) before they are summed or squared once the largest leaves [2⁻⁶⁴, 2⁶⁴].</summary>
    public const int WeightScaleLimit = 64;

    /// <summary>Losses and other values are rescaled before they are summed or squared once the largest leaves [2⁻²⁵⁶, 2²⁵⁶].</summary>
    public const int ValueScaleLimit = 256;

    /// <summary>ln(1 + xᵢ) for xᵢ &gt; −1, accurate to a few ulps also for tiny xᵢ.</summary>
    /// <remarks>
    /// Goldberg's identity: with u = fl(1 + x), ln(1 + x) ≈ ln(u) · x / (u − 1), and x itself when u = 1.
    /// <c>double.LogP1</c> is ln(1 + x) computed naively, which loses every digit for |x| below 1e-16.
    /// <paramref name="destination"/> must not overlap <paramref name="x"/>.
    /// </remarks>
    public static void Log1P(ReadOnlySpan<double> x, Span<double> destination)
    {
        var lnU = destination[..x.Length];
        TensorPrimitives.Add(x, 1.0, lnU);
        TensorPrimitives.Log(lnU, lnU);

        // u = fl(1 + x) is recomputed rather than stored: the same rounding gives the same u.
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var vx = new Vector<double>(x[i..]);
                var denominator = (vx + Vector<double>.One) - Vector<double>.One;
                var corrected = new Vector<double>(lnU[i..]) * (vx / denominator);
                Vector.ConditionalSelect(Vector.Equals(denominator, Vector<double>.Zero), vx, corrected).CopyTo(lnU[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            var denominator = (x[i] + 1.0) - 1.0;
            lnU[i] = denominator == 0.0 ? x[i] : lnU[i] * (x[i] / denominator);
        }
    }

    /// <summary>ln(1 + x) for one value, as <see cref="Log1P(ReadOnlySpan{double}, Span{double})"/>.</summary>
    public static double Log1P(double x)
    {
        var u = 1.0 + x;
        var denominator = u - 1.0;
        return denominator == 0.0 ? x : Math.Log(u) * (x / denominator);
    }

    /// <summary>σ(z) = 1 / (1 + e^−z), computed from the side that cannot overflow.</summary>
    public static double Sigmoid(double z)
    {
        if (z >= 0)
        {
            return 1 / (1 + Math.Exp(-z));
        }

        var e = Math.Exp(z);
        return e / (1 + e);
    }

    /// <summary>Weighted moments of a set of values (<see cref="ScaledMoments.ToMoments"/>).</summary>
    /// <param name="WeightSum">W = Σwᵢ (+∞ only when the true sum is beyond the double range).</param>
    /// <param name="Mean">Σwᵢvᵢ / W.</param>
    /// <param name="Sum">Σwᵢvᵢ (infinite only when the true sum is).</param>
    /// <param name="StandardError">√(N/(N − 1) · Σwᵢ²(vᵢ − mean)²) / W; null for N = 1.</param>
    /// <param name="WeightExponent">k: the weights were summed as wᵢ·2⁻ᵏ, so callers can sum subsets on the same scale.</param>
    /// <param name="ValueExponent">L: the values were summed as vᵢ·2⁻ᴸ.</param>
    public readonly record struct Moments(double WeightSum, double Mean, double Sum, double? StandardError, int WeightExponent, int ValueExponent);

    /// <summary>The exponent k of <see cref="ScaleExponent"/> for a span of weights (0 when there are none).</summary>
    public static int WeightExponent(ReadOnlySpan<double> weights) =>
        weights.IsEmpty ? 0 : ScaleExponent(TensorPrimitives.Max(weights), WeightScaleLimit);

    /// <summary>
    /// The binary exponent k that brings <paramref name="max"/> near 1 (2⁻ᵏ·max in [1, 2)) when it lies outside
    /// [2^−<paramref name="limit"/>, 2^<paramref name="limit"/>]; 0 inside that range, for 0 and for a non-finite value,
    /// so that ordinary inputs are never touched. Scaling by a power of two is exact.
    /// </summary>
    public static int ScaleExponent(double max, int limit)
    {
        if (!(max > 0) || !double.IsFinite(max))
        {
            return 0;
        }

        // Clamped so that 2⁻ᵏ itself is a normal double (a subnormal max has k down to −1074, where 2¹⁰⁷⁴ overflows).
        var exponent = Math.Clamp(Math.ILogB(max), -1000, 1000);
        return Math.Abs(exponent) > limit ? exponent : 0;
    }

    /// <summary>x ln x with 0 ln 0 = 0.</summary>
    public static double XLogX(double x) => x == 0.0 ? 0.0 : x * Math.Log(x);

    /// <summary>Binary entropy H(t) = −t ln t − (1 − t) ln(1 − t), in nats, with 0 ln 0 = 0.</summary>
    public static double BinaryEntropy(double t) =>
        -XLogX(t) - (t == 1.0 ? 0.0 : (1.0 - t) * Log1P(-t));

    /// <summary>Counts the elements of <paramref name="values"/> that are below <paramref name="lower"/> or above <paramref name="upper"/>.</summary>
    public static int CountOutside(ReadOnlySpan<double> values, double lower, double upper)
    {
        var count = 0L;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vLower = new Vector<double>(lower);
            var vUpper = new Vector<double>(upper);
            var hits = Vector<long>.Zero;
            for (; i <= values.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var v = new Vector<double>(values[i..]);
                hits -= Vector.LessThan(v, vLower) | Vector.GreaterThan(v, vUpper);
            }

            count = Vector.Sum(hits);
        }

        for (; i < values.Length; i++)
        {
            if (values[i] < lower || values[i] > upper)
            {
                count++;
            }
        }

        return (int)count;
    }

    /// <summary>Counts the labels equal to 0 and those equal to 1, in one pass.</summary>
    public static (int Zeros, int Ones) CountZerosAndOnes(ReadOnlySpan<double> labels)
    {
        long zeros = 0, ones = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var zeroHits = Vector<long>.Zero;
            var oneHits = Vector<long>.Zero;
            for (; i <= labels.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var v = new Vector<double>(labels[i..]);
                zeroHits -= Vector.Equals(v, Vector<double>.Zero);
                oneHits -= Vector.Equals(v, Vector<double>.One);
            }

            zeros = Vector.Sum(zeroHits);
            ones = Vector.Sum(oneHits);
        }

        for (; i < labels.Length; i++)
        {
            zeros += labels[i] == 0.0 ? 1 : 0;
            ones += labels[i] == 1.0 ? 1 : 0;
        }

        return ((int)zeros, (int)ones);
    }

    /// <summary>What <see cref="TrueClassArguments"/> learned about a block on the way.</summary>
    /// <param name="Zeros">Labels equal to 0.</param>
    /// <param name="Ones">Labels equal to 1.</param>
    /// <param name="Clipped">Probabilities outside [ε, 1 − ε].</param>
    /// <param name="PredictionsInRange">Whether every probability is in [0, 1] (so none is NaN).</param>
    public readonly record struct BlockScan(int Zeros, int Ones, int Clipped, bool PredictionsInRange);

    /// <summary>
    /// For labels 0 or 1, the argument of the true class's logarithm: uᵢ = p′ᵢ where yᵢ = 1 and uᵢ = fl(1 − p′ᵢ)
    /// elsewhere, with p′ᵢ = clamp(pᵢ, ε, 1 − ε); in the same pass, counts the labels 0 and 1 (the arguments are
    /// meaningful only when together they are every label), the clipped probabilities, and checks their range.
    /// </summary>
    public static BlockScan TrueClassArguments(ReadOnlySpan<double> labels, ReadOnlySpan<double> predictions, double epsilon, Span<double> destination)
    {
        var lower = epsilon;
        var upper = 1.0 - epsilon;
        long zeros = 0, ones = 0, clipped = 0;
        var inRange = true;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vLower = new Vector<double>(lower);
            var vUpper = new Vector<double>(upper);
            Vector<long> zeroHits = default, oneHits = default, clipHits = default, valid = Vector<long>.AllBitsSet;
            for (; i <= labels.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var y = new Vector<double>(labels[i..]);
                var p = new Vector<double>(predictions[i..]);
                var positive = Vector.Equals(y, Vector<double>.One);
                zeroHits -= Vector.Equals(y, Vector<double>.Zero);
                oneHits -= positive;
                clipHits -= Vector.LessThan(p, vLower) | Vector.GreaterThan(p, vUpper);
                valid &= Vector.GreaterThanOrEqual(p, Vector<double>.Zero) & Vector.LessThanOrEqual(p, Vector<double>.One);
                var clamped = Vector.Min(Vector.Max(p, vLower), vUpper);
                Vector.ConditionalSelect(positive, clamped, Vector<double>.One - clamped).CopyTo(destination[i..]);
            }

            zeros = Vector.Sum(zeroHits);
            ones = Vector.Sum(oneHits);
            clipped = Vector.Sum(clipHits);
            inRange = Vector.EqualsAll(valid, Vector<long>.AllBitsSet);
        }

        for (; i < labels.Length; i++)
        {
            var p = predictions[i];
            zeros += labels[i] == 0.0 ? 1 : 0;
            ones += labels[i] == 1.0 ? 1 : 0;
            clipped += p < lower || p > upper ? 1 : 0;
            inRange &= p is >= 0.0 and <= 1.0;
            var clamped = Math.Min(Math.Max(p, lower), upper);
            destination[i] = labels[i] == 1.0 ? clamped : 1.0 - clamped;
        }

        return new BlockScan((int)zeros, (int)ones, (int)clipped, inRange);
    }

    /// <summary>The sums <see cref="HardLabelLosses"/> returns (weights 1 when there are none).</summary>
    /// <param name="PositiveCrossEntropy">Σ wᵢ(−ln p′ᵢ) over yᵢ = 1, without the positive weight.</param>
    /// <param name="NegativeLoss">Σ wᵢ(−ln(1 − p′ᵢ)) over yᵢ = 0.</param>
    /// <param name="Weight">Σ wᵢ.</param>
    /// <param name="PositiveWeight">Σ wᵢ over yᵢ = 1.</param>
    /// <param name="NegativeWeight">Σ wᵢ over yᵢ = 0 (summed itself, not Σ wᵢ − Σ wᵢyᵢ, which cancels when one class dominates).</param>
    public readonly record struct HardLabelSums(double PositiveCrossEntropy, double NegativeLoss, double Weight, double PositiveWeight, double NegativeWeight);

    /// <summary>
    /// The losses of labels 0 or 1 from the logarithms of <see cref="TrueClassArguments"/>: ℓᵢ = −w₊ ln p′ᵢ where
    /// yᵢ = 1; where yᵢ = 0, ℓᵢ = −ln(1 − p′ᵢ) by Goldberg's identity (ln u · p′/(u − 1), or p′ when u = 1, as
    /// <see cref="Log1P(ReadOnlySpan{double}, Span{double})"/> computes it), at most −ln ε. Writes ℓᵢ to
    /// <paramref name="loss"/> and returns the class sums.
    /// </summary>
    public static HardLabelSums HardLabelLosses(
        ReadOnlySpan<double> labels, ReadOnlySpan<double> predictions, ReadOnlySpan<double> weights, ReadOnlySpan<double> logs, double epsilon, double positiveWeight, Span<double> loss)
    {
        var lower = epsilon;
        var upper = 1.0 - epsilon;
        var ceiling = -Math.Log(epsilon);
        var weighted = !weights.IsEmpty;
        double positive = 0, negative = 0, weight = 0, positiveTarget = 0, negativeTarget = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vLower = new Vector<double>(lower);
            var vUpper = new Vector<double>(upper);
            var vCeiling = new Vector<double>(ceiling);
            var vPositiveWeight = new Vector<double>(positiveWeight);
            Vector<double> sumPositive = default, sumNegative = default, sumWeight = default, sumTarget = default, sumNegativeTarget = default;
            for (; i <= labels.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var y = new Vector<double>(labels[i..]);
                var clamped = Vector.Min(Vector.Max(new Vector<double>(predictions[i..]), vLower), vUpper);
                var log = new Vector<double>(logs[i..]);
                var isPositive = Vector.Equals(y, Vector<double>.One);
                var denominator = (Vector<double>.One - clamped) - Vector<double>.One;
                // A forecast clipped at the top scores exactly −ln ε, whatever fl(1 − ε) rounded to; below it 1 − p′ > ε.
                var negativeLoss = Vector.ConditionalSelect(
                    Vector.GreaterThanOrEqual(clamped, vUpper),
                    vCeiling,
                    Vector.ConditionalSelect(Vector.Equals(denominator, Vector<double>.Zero), clamped, log * (clamped / denominator)));
                var positiveLoss = Vector.ConditionalSelect(isPositive, -log, Vector<double>.Zero);
                negativeLoss = Vector.ConditionalSelect(isPositive, Vector<double>.Zero, negativeLoss);
                ((positiveLoss * vPositiveWeight) + negativeLoss).CopyTo(loss[i..]);
                if (weighted)
                {
                    var w = new Vector<double>(weights[i..]);
                    sumPositive += w * positiveLoss;
                    sumNegative += w * negativeLoss;
                    sumWeight += w;
                    sumTarget += w * y;
                    sumNegativeTarget += Vector.ConditionalSelect(isPositive, Vector<double>.Zero, w);
                }
                else
                {
                    sumPositive += positiveLoss;
                    sumNegative += negativeLoss;
                    sumWeight += Vector<double>.One;
                    sumTarget += y;
                    sumNegativeTarget += Vector<double>.One - y;
                }
            }

            positive = Vector.Sum(sumPositive);
            negative = Vector.Sum(sumNegative);
            weight = Vector.Sum(sumWeight);
            positiveTarget = Vector.Sum(sumTarget);
            negativeTarget = Vector.Sum(sumNegativeTarget);
        }

        for (; i < labels.Length; i++)
        {
            var clamped = Math.Min(Math.Max(predictions[i], lower), upper);
            var w = weighted ? weights[i] : 1.0;
            weight += w;
            if (labels[i] == 1.0)
            {
                var positiveLoss = -logs[i];
                loss[i] = positiveLoss * positiveWeight;
                positive += w * positiveLoss;
                positiveTarget += w;
            }
            else
            {
                var denominator = (1.0 - clamped) - 1.0;
                var negativeLoss = clamped >= upper ? ceiling : denominator == 0.0 ? clamped : logs[i] * (clamped / denominator);
                loss[i] = negativeLoss;
                negative += w * negativeLoss;
                negativeTarget += w;
            }
        }

        return new HardLabelSums(positive, negative, weight, positiveTarget, negativeTarget);
    }

    /// <summary>
    /// The dispersion of a block about <paramref name="mean"/>: S = Σ(wᵢ(ℓᵢ − m))², T = Σwᵢ²(ℓᵢ − m) and Q = Σwᵢ²,
    /// in one pass (every wᵢ is 1 when <paramref name="weights"/> is empty).
    /// </summary>
    public static (double S, double T, double Q) Dispersion(ReadOnlySpan<double> loss, ReadOnlySpan<double> weights, double mean)
    {
        var weighted = !weights.IsEmpty;
        double s = 0, t = 0, q = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vMean = new Vector<double>(mean);
            Vector<double> sumS = default, sumT = default, sumQ = default;
            for (; i <= loss.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var deviation = new Vector<double>(loss[i..]) - vMean;
                if (weighted)
                {
                    var w = new Vector<double>(weights[i..]);
                    var scaled = deviation * w;
                    sumS += scaled * scaled;
                    sumT += scaled * w;
                    sumQ += w * w;
                }
                else
                {
                    sumS += deviation * deviation;
                    sumT += deviation;
                }
            }

            s = Vector.Sum(sumS);
            t = Vector.Sum(sumT);
            q = Vector.Sum(sumQ);
        }

        for (; i < loss.Length; i++)
        {
            var w = weighted ? weights[i] : 1.0;
            var scaled = (loss[i] - mean) * w;
            s += scaled * scaled;
            t += scaled * w;
            q += w * w;
        }

        return (s, t, weighted ? q : loss.Length);
    }

    /// <summary>
    /// Log-probabilities of a logit: aᵢ = ln σ(zᵢ) = −softplus(−zᵢ) and bᵢ = ln(1 − σ(zᵢ)) = −softplus(zᵢ),
    /// computed as min(z, 0) − ln(1 + e^−|z|) and −max(z, 0) − ln(1 + e^−|z|): finite for every finite z.
    /// </summary>
    public static void LogSigmoidPair(ReadOnlySpan<double> logits, Span<double> logP, Span<double> logQ, Span<double> scratch)
    {
        var n = logits.Length;
        var a = logP[..n];
        var b = logQ[..n];
        var tmp = scratch[..n];
        TensorPrimitives.Abs(logits, tmp);
        TensorPrimitives.Negate(tmp, tmp);
        TensorPrimitives.Exp(tmp, tmp);
        Log1P(tmp, b);
        TensorPrimitives.Min(logits, 0.0, a);
        TensorPrimitives.Subtract(a, b, a);
        TensorPrimitives.Max(logits, 0.0, tmp);
        TensorPrimitives.Add(tmp, b, b);
        TensorPrimitives.Negate(b, b);
    }
}
