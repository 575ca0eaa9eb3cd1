using System.Numerics.Tensors;

namespace LogLossApi.Scoring;

/// <summary>Options of <see cref="LogisticRegression.Fit"/>, with scikit-learn's <c>LogisticRegression()</c> defaults.</summary>
/// <param name="C">Inverse L2 strength, C &gt; 0 (default 1).</param>
/// <param name="FitIntercept">Fit an unpenalised intercept b (default true).</param>
/// <param name="MaxIterations">Newton steps before giving up (default 100).</param>
/// <param name="Tolerance">
/// Converged when every entry of the Newton step H⁻¹g is below this (default 1e-10) relative to 1 + |θₖ|: a test
/// that does not depend on the scale of C or N (a gradient test would, since g carries the factor C).
/// </param>
public readonly record struct LogisticRegressionOptions(double C = 1.0, bool FitIntercept = true, int MaxIterations = 100, double Tolerance = 1e-10)
{
    /// <summary>scikit-learn's defaults: C = 1, with intercept.</summary>
    public static LogisticRegressionOptions Default { get; } = new(C: 1.0, FitIntercept: true, MaxIterations: 100, Tolerance: 1e-10);

    /// <summary>Every option outside its documented range, named as the API spells it, with what to send instead.</summary>
    public IReadOnlyList<OptionProblem> Problems()
    {
        var problems = new List<OptionProblem>(0);
        if (!(C > 0 && double.IsFinite(C)))
        {
            problems.Add(new("c", "Must be a finite number greater than 0."));
        }

        if (MaxIterations < 1)
        {
            problems.Add(new("maxIterations", "Must be at least 1."));
        }

        if (!(Tolerance > 0))
        {
            problems.Add(new("tolerance", "Must be greater than 0."));
        }

        return problems;
    }
}

/// <summary>A fitted model.</summary>
/// <param name="Coefficients">β, one per feature.</param>
/// <param name="Intercept">b (0 without an intercept).</param>
/// <param name="Iterations">Newton steps taken.</param>
/// <param name="Converged">Whether the last Newton step fell below the tolerance (relative to 1 + |θₖ|).</param>
/// <param name="GradientNorm">The largest entry of the final gradient of J / max(C, 1), |∇J|∞ / max(C, 1).</param>
public sealed record LogisticRegressionFit(IReadOnlyList<double> Coefficients, double Intercept, int Iterations, bool Converged, double GradientNorm);

/// <summary>
/// L2-regularised logistic regression, scikit-learn's <c>LogisticRegression()</c> objective:
/// J(β, b) = C · Σᵢ [softplus(zᵢ) − yᵢzᵢ] + ½‖β‖², zᵢ = xᵢ·β + b, with the intercept unpenalised.
/// Minimised by Newton's method (iteratively reweighted least squares): gradient g = C·Xᵀ(p − y) + (β, 0), Hessian
/// H = C·Xᵀ diag(p(1 − p)) X + diag(1, …, 1, 0), step H⁻¹g by Cholesky, halved until J decreases. The L2 term keeps H
/// positive definite in β, so separable data converges to finite coefficients. Each step costs O(N·F²) to form H
/// and O(F³) to solve it; N = 1,000,000 with F = 100 takes seconds, not minutes.
/// </summary>
public static class LogisticRegression
{
    /// <summary>The largest |feature| accepted: the Hessian holds products of two features, which must stay finite.</summary>
    public const double MaxFeatureMagnitude = 1e150;

    /// <summary>
    /// Fits β and b to <paramref name="features"/> (N × F, row-major) and <paramref name="labels"/> (0 or 1), and writes
    /// each sample's fitted P(y = 1) into <paramref name="probabilities"/> (length N).
    /// </summary>
    /// <exception cref="ArgumentException">Shapes, values or options outside their documented ranges, or one class only.</exception>
    public static LogisticRegressionFit Fit(ReadOnlySpan<double> features, int featureCount, ReadOnlySpan<double> labels, LogisticRegressionOptions options, Span<double> probabilities)
    {
        var n = labels.Length;
        Check(features, featureCount, labels, options, probabilities);
        var f = featureCount;
        var size = f + (options.FitIntercept ? 1 : 0);
        var theta = new double[size];
        var gradient = new double[size];
        var hessian = new double[size * size];
        var step = new double[size];
        var candidate = new double[size];
        var z = new double[n];
        var objective = Objective(features, f, labels, options, theta, z);
        var iterations = 0;
        var converged = false;
        for (; iterations < options.MaxIterations && !converged; iterations++)
        {
            Derivatives(features, f, labels, options, theta, z, gradient, hessian);
            CholeskySolve(hessian, size, gradient, step);
            converged = StepIsSmall(step, theta, options.Tolerance);

            // Close to the optimum the decrease a Newton step promises, ½gᵀH⁻¹g, is below what J (about C·N) can
            // resolve, so J cannot judge the step; there the step is exact to second order and is taken whole.
            if (converged || TensorPrimitives.Dot(gradient, step) <= 1e-13 * Math.Abs(objective))
            {
                TensorPrimitives.Subtract(theta, step, theta);
                objective = Objective(features, f, labels, options, theta, z);
                continue;
            }

            var t = 1.0;
            double next;
            do
            {
                for (var k = 0; k < size; k++)
                {
                    candidate[k] = theta[k] - (t * step[k]);
                }

                next = Objective(features, f, labels, options, candidate, z);
                t /= 2;
            }
            while (next > objective && t > 1e-10);

            if (next > objective)
            {
                // No decrease even along a tiny step, although the step is not small: J is flat to rounding here.
                Objective(features, f, labels, options, theta, z);
                break;
            }

            candidate.CopyTo(theta, 0);
            objective = next;
        }

        // z holds xᵢ·β + b for the final θ on every way out of the loop; only the gradient there is wanted.
        Derivatives(features, f, labels, options, theta, z, gradient, hessian: null);
        var norm = Math.Abs(TensorPrimitives.MaxMagnitude(gradient));

        for (var i = 0; i < n; i++)
        {
            probabilities[i] = Kernels.Sigmoid(z[i]);
        }

        return new LogisticRegressionFit(theta[..f], options.FitIntercept ? theta[f] : 0.0, iterations, converged, norm);
    }

    /// <summary>Whether |sₖ| ≤ tolerance · (1 + |θₖ|) for every k.</summary>
    private static bool StepIsSmall(ReadOnlySpan<double> step, ReadOnlySpan<double> theta, double tolerance)
    {
        for (var k = 0; k < step.Length; k++)
        {
            if (!(Math.Abs(step[k]) <= tolerance * (1 + Math.Abs(theta[k]))))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>J(θ) / max(C, 1), leaving zᵢ = xᵢ·β + b in <paramref name="z"/>.</summary>
    private static double Objective(ReadOnlySpan<double> x, int f, ReadOnlySpan<double> y, LogisticRegressionOptions options, double[] theta, double[] z)
    {
        var beta = theta.AsSpan(0, f);
        var intercept = options.FitIntercept ? theta[f] : 0.0;
        var loss = 0.0;
        var compensation = 0.0;
        for (var i = 0; i < y.Length; i++)
        {
            var zi = TensorPrimitives.Dot(x.Slice(i * f, f), beta) + intercept;
            z[i] = zi;
            var term = Softplus(zi) - (y[i] * zi);
            var total = loss + term;
            compensation += Math.Abs(loss) >= Math.Abs(term) ? (loss - total) + term : (term - total) + loss;
            loss = total;
        }

        var (lossWeight, penaltyWeight) = Scaled(options.C);
        return (lossWeight * (loss + compensation)) + (penaltyWeight * 0.5 * TensorPrimitives.Dot(beta, beta));
    }

    /// <summary>Gradient (and, unless <paramref name="hessian"/> is null, Hessian) of J / max(C, 1) at θ, from zᵢ already in <paramref name="z"/>.</summary>
    private static void Derivatives(ReadOnlySpan<double> x, int f, ReadOnlySpan<double> y, LogisticRegressionOptions options, double[] theta, double[] z, double[] gradient, double[]? hessian)
    {
        var size = gradient.Length;
        var (lossWeight, penaltyWeight) = Scaled(options.C);
        Array.Clear(gradient);
        if (hessian is not null)
        {
            Array.Clear(hessian);
        }

        for (var i = 0; i < y.Length; i++)
        {
            var row = x.Slice(i * f, f);
            var p = Kernels.Sigmoid(z[i]);
            var residual = lossWeight * (p - y[i]);
            for (var j = 0; j < f; j++)
            {
                gradient[j] += residual * row[j];
            }

            if (options.FitIntercept)
            {
                gradient[f] += residual;
            }

            if (hessian is not null)
            {
                AddCurvature(row, lossWeight * p * (1 - p), hessian, size, options.FitIntercept);
            }
        }

        for (var j = 0; j < f; j++)
        {
            gradient[j] += penaltyWeight * theta[j];
            if (hessian is null)
            {
                continue;
            }

            hessian[(j * size) + j] += penaltyWeight;
            for (var k = j + 1; k < size; k++)
            {
                hessian[(k * size) + j] = hessian[(j * size) + k];
            }
        }
    }

    /// <summary>Adds weight · (x, 1)(x, 1)ᵀ to the upper triangle of the Hessian (the intercept's row and column only when fitted).</summary>
    private static void AddCurvature(ReadOnlySpan<double> row, double weight, double[] hessian, int size, bool intercept)
    {
        var f = row.Length;
        for (var j = 0; j < f; j++)
        {
            var scaled = weight * row[j];
            var upper = hessian.AsSpan((j * size) + j, f - j);
            TensorPrimitives.MultiplyAdd(row[j..], scaled, upper, upper);
            if (intercept)
            {
                hessian[(j * size) + f] += scaled;
            }
        }

        if (intercept)
        {
            hessian[(f * size) + f] += weight;
        }
    }

    /// <summary>
    /// J divided by max(C, 1): the same minimiser and Newton steps, but for C up to the largest double neither C·Σ loss
    /// nor its derivatives overflow. Returns the factors of Σ loss and of ½‖β‖².
    /// </summary>
    private static (double Loss, double Penalty) Scaled(double c) => c > 1 ? (1.0, 1.0 / c) : (c, 1.0);

    /// <summary>Solves H s = g for symmetric positive definite H (Cholesky, H = L Lᵀ); H is overwritten.</summary>
    private static void CholeskySolve(double[] h, int size, double[] g, double[] s)
    {
        for (var j = 0; j < size; j++)
        {
            var diagonal = h[(j * size) + j];
            for (var k = 0; k < j; k++)
            {
                diagonal -= h[(j * size) + k] * h[(j * size) + k];
            }

            // A direction with no curvature (an intercept no sample pins down) gets a tiny ridge instead of a division by 0.
            var l = Math.Sqrt(Math.Max(diagonal, 1e-12));
            h[(j * size) + j] = l;
            for (var i = j + 1; i < size; i++)
            {
                var value = h[(i * size) + j];
                for (var k = 0; k < j; k++)
                {
                    value -= h[(i * size) + k] * h[(j * size) + k];
                }

                h[(i * size) + j] = value / l;
            }
        }

        for (var i = 0; i < size; i++)
        {
            var value = g[i];
            for (var k = 0; k < i; k++)
            {
                value -= h[(i * size) + k] * s[k];
            }

            s[i] = value / h[(i * size) + i];
        }

        for (var i = size - 1; i >= 0; i--)
        {
            var value = s[i];
            for (var k = i + 1; k < size; k++)
            {
                value -= h[(k * size) + i] * s[k];
            }

            s[i] = value / h[(i * size) + i];
        }
    }

    /// <summary>ln(1 + eᶻ) without overflow: max(z, 0) + log1p(e^−|z|).</summary>
    private static double Softplus(double z) => Math.Max(z, 0) + Kernels.Log1P(Math.Exp(-Math.Abs(z)));

    private static void Check(ReadOnlySpan<double> features, int featureCount, ReadOnlySpan<double> labels, LogisticRegressionOptions options, Span<double> probabilities)
    {
        if (featureCount < 1 || labels.IsEmpty || features.Length != (long)labels.Length * featureCount || probabilities.Length != labels.Length)
        {
            throw new ArgumentException("Features must be N × F with F ≥ 1 and N ≥ 1, and probabilities N long.", nameof(features));
        }

        OptionProblem.ThrowIfAny(options.Problems());

        var positives = 0;
        foreach (var y in labels)
        {
            if (y is not (0.0 or 1.0))
            {
                throw new ArgumentException("Every label must be 0 or 1.", nameof(labels));
            }

            positives += (int)y;
        }

        if (positives == 0 || positives == labels.Length)
        {
            throw new ArgumentException("Both classes must occur in the labels.", nameof(labels));
        }

        foreach (var value in features)
        {
            if (!(Math.Abs(value) <= MaxFeatureMagnitude))
            {
                throw new ArgumentException($"Every feature must be finite and within ±{MaxFeatureMagnitude.ToString("0e0", System.Globalization.CultureInfo.InvariantCulture)}.", nameof(features));
            }
        }
    }
}
