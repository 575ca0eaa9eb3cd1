using MathNet.Numerics.Distributions;

namespace LogLossApi.Scoring;

/// <summary>The paired difference of two models' per-sample losses on the same labels.</summary>
/// <param name="MeanDifference">d̄ = Σwᵢdᵢ / W with dᵢ = ℓᵢ(model) − ℓᵢ(reference); negative when the model is better.</param>
/// <param name="StandardError">√(N/(N − 1) · Σwᵢ²(dᵢ − d̄)²) / W, the same estimator as a loss's standard error; null for N = 1.</param>
/// <param name="Z">d̄ / standardError; 0 when both are 0, ±∞ when only the error is 0; null for N = 1.</param>
/// <param name="PValue">Two-sided, 2Φ(−|z|) under the normal approximation (relative precision kept down to the smallest double); null for N = 1.</param>
/// <param name="Lower">d̄ − z₍₁₊level₎/₂ · standardError; null for N = 1.</param>
/// <param name="Upper">d̄ + z₍₁₊level₎/₂ · standardError; null for N = 1.</param>
/// <param name="Level">The confidence level of the interval.</param>
public sealed record PairedDifference(double MeanDifference, double? StandardError, double? Z, double? PValue, double? Lower, double? Upper, double Level);

/// <summary>
/// Is model B's loss really lower than model A's? The per-sample losses of both on the same samples are paired,
/// dᵢ = ℓᵢ(B) − ℓᵢ(A), and d̄ is tested against 0 with the normal approximation: z = d̄ / SE(d̄), two-sided
/// p = 2Φ(−|z|), interval d̄ ± Φ⁻¹((1 + level)/2)·SE. Φ and Φ⁻¹ come from MathNet.Numerics.
/// </summary>
public static class PairedComparison
{
    /// <summary>Compares <paramref name="model"/>'s losses with <paramref name="reference"/>'s (same samples, same unit).</summary>
    /// <exception cref="ArgumentException">Lengths differ, no sample, weights invalid, or level outside (0, 1).</exception>
    public static PairedDifference Compare(ReadOnlySpan<double> reference, ReadOnlySpan<double> model, ReadOnlySpan<double> weights, double level)
    {
        var n = reference.Length;
        if (n == 0 || model.Length != n || (!weights.IsEmpty && weights.Length != n))
        {
            throw new ArgumentException("Both loss vectors (and the weights, if any) must have the same, non-zero length.", nameof(model));
        }

        if (!(level is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "The confidence level must be in (0, 1).");
        }

        var differences = System.Buffers.ArrayPool<double>.Shared.Rent(n);
        try
        {
            var d = differences.AsSpan(0, n);
            System.Numerics.Tensors.TensorPrimitives.Subtract(model, reference, d);
            if (!weights.IsEmpty && !(System.Numerics.Tensors.TensorPrimitives.Sum(weights) > 0))
            {
                throw new ArgumentException("The weights must sum to more than 0.", nameof(weights));
            }

            var moments = Kernels.WeightedMoments(d, weights);
            return moments.StandardError is { } error
                ? Test(moments.Mean, error, level)
                : new PairedDifference(moments.Mean, null, null, null, null, null, level);
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(differences);
        }
    }

    private static PairedDifference Test(double mean, double error, double level)
    {
        var z = error > 0 ? mean / error : mean == 0 ? 0 : Math.CopySign(double.PositiveInfinity, mean);
        // 2Φ(−|z|) keeps its relative precision far into the tail, where 2(1 − Φ(|z|)) cancels to 0 from |z| ≈ 8.3.
        var p = 2 * Normal.CDF(0, 1, -Math.Abs(z));
        var critical = Normal.InvCDF(0, 1, (1 + level) / 2);
        return new PairedDifference(mean, error, z, Math.Clamp(p, 0, 1), mean - (critical * error), mean + (critical * error), level);
    }
}
