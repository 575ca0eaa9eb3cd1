using System.Numerics;
using System.Numerics.Tensors;

namespace LogLossApi.Scoring;

/// <summary>Span kernels that <see cref="TensorPrimitives"/> lacks or computes less carefully than the losses need.</summary>
internal static class Kernels
{
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

    /// <summary>The weighted standard error of a mean, √(N/(N − 1) · Σwᵢ²(vᵢ − mean)²) / W (compensated); null for N = 1.</summary>
    /// <param name="values">vᵢ.</param>
    /// <param name="weights">wᵢ, or empty for 1 each.</param>
    /// <param name="mean">Σwᵢvᵢ / W.</param>
    /// <param name="totalWeight">W.</param>
    public static double? StandardError(ReadOnlySpan<double> values, ReadOnlySpan<double> weights, double mean, double totalWeight)
    {
        var n = values.Length;
        if (n < 2)
        {
            return null;
        }

        var dispersion = default(CompensatedSum);
        for (var i = 0; i < n; i++)
        {
            var w = weights.IsEmpty ? 1.0 : weights[i];
            var deviation = values[i] - mean;
            dispersion.Add(w * w * deviation * deviation);
        }

        return Math.Sqrt(n / (n - 1.0) * dispersion.Value) / totalWeight;
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

    /// <summary>Counts the elements of <paramref name="values"/> equal to <paramref name="target"/>.</summary>
    public static int CountEqual(ReadOnlySpan<double> values, double target)
    {
        var count = 0L;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vTarget = new Vector<double>(target);
            var hits = Vector<long>.Zero;
            for (; i <= values.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                hits -= Vector.Equals(new Vector<double>(values[i..]), vTarget);
            }

            count = Vector.Sum(hits);
        }

        for (; i < values.Length; i++)
        {
            if (values[i] == target)
            {
                count++;
            }
        }

        return (int)count;
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
