namespace LogLossApi.Scoring;

/// <summary>What the predictions of a <see cref="BinaryInput"/> are.</summary>
public enum PredictionKind
{
    /// <summary>Probabilities of the positive class, each in [0, 1]; clipped to [ε, 1 − ε].</summary>
    Probabilities,

    /// <summary>Raw scores z with P(y = 1) = σ(z); never clipped.</summary>
    Logits,
}

/// <summary>Options of a binary cross-entropy evaluation.</summary>
/// <param name="Epsilon">Clip for probabilities, 0 &lt; ε &lt; 0.5. Ignored for logits.</param>
/// <param name="Unit">Unit of every reported loss, entropy and divergence.</param>
/// <param name="PositiveWeight">Weight w₊ &gt; 0 of the positive term (PyTorch <c>pos_weight</c>).</param>
/// <param name="LabelSmoothing">s in [0, 1): targets become t = y(1 − s) + s/2 (Keras <c>label_smoothing</c>).</param>
public readonly record struct BinaryLossOptions(
    double Epsilon,
    LossUnit Unit,
    double PositiveWeight,
    double LabelSmoothing)
{
    /// <summary>float64 machine epsilon, 2⁻⁵², the clip scikit-learn uses for <c>eps="auto"</c>.</summary>
    public const double DefaultEpsilon = 2.220446049250313e-16;

    /// <summary>ε = 2⁻⁵², nats, w₊ = 1, no smoothing.</summary>
    public static BinaryLossOptions Default { get; } = new(DefaultEpsilon, LossUnit.Nats, 1.0, 0.0);

    /// <summary>Every option outside its documented range, named as the API spells it, with what to send instead.</summary>
    public IReadOnlyList<OptionProblem> Problems()
    {
        var problems = new List<OptionProblem>(0);
        if (!(Epsilon > 0 && Epsilon < 0.5))
        {
            problems.Add(new("epsilon", "Must be greater than 0 and less than 0.5."));
        }

        if (!Enum.IsDefined(Unit))
        {
            problems.Add(new("unit", "Must be \"nats\" or \"bits\"."));
        }

        if (!(PositiveWeight > 0 && double.IsFinite(PositiveWeight)))
        {
            problems.Add(new("positiveWeight", "Must be a finite number greater than 0."));
        }

        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1))
        {
            problems.Add(new("labelSmoothing", "Must be in [0, 1)."));
        }

        return problems;
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option outside its documented range.</summary>
    public void Validate() => OptionProblem.ThrowIfAny(Problems());
}

/// <summary>An option outside its documented range: its name as the API spells it, and what to send instead.</summary>
/// <param name="Option">"epsilon", "labelSmoothing", …</param>
/// <param name="Message">A sentence that says which values are allowed.</param>
public readonly record struct OptionProblem(string Option, string Message)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for the first of <paramref name="problems"/>, if any.</summary>
    public static void ThrowIfAny(IReadOnlyList<OptionProblem> problems)
    {
        if (problems.Count > 0)
        {
            throw new ArgumentOutOfRangeException(problems[0].Option, problems[0].Message);
        }
    }
}

/// <summary>One binary scoring problem: labels, predictions, optional weights and options, as spans.</summary>
/// <param name="Labels">yᵢ in [0, 1]: 0 and 1 are hard labels, values between are soft labels.</param>
/// <param name="Predictions">Probabilities pᵢ or logits zᵢ, as <paramref name="Kind"/> says.</param>
/// <param name="Kind">Whether <paramref name="Predictions"/> are probabilities or logits.</param>
/// <param name="Weights">Sample weights wᵢ ≥ 0 with Σwᵢ &gt; 0, or empty for wᵢ = 1.</param>
/// <param name="Options">Clip, unit, positive weight and label smoothing.</param>
public readonly ref struct BinaryInput(
    ReadOnlySpan<double> Labels,
    ReadOnlySpan<double> Predictions,
    PredictionKind Kind,
    ReadOnlySpan<double> Weights,
    BinaryLossOptions Options)
{
    /// <summary>yᵢ in [0, 1].</summary>
    public ReadOnlySpan<double> Labels { get; } = Labels;

    /// <summary>Probabilities or logits, as <see cref="Kind"/> says.</summary>
    public ReadOnlySpan<double> Predictions { get; } = Predictions;

    /// <summary>Whether <see cref="Predictions"/> are probabilities or logits.</summary>
    public PredictionKind Kind { get; } = Kind;

    /// <summary>Sample weights, or empty for unit weights.</summary>
    public ReadOnlySpan<double> Weights { get; } = Weights;

    /// <summary>Clip, unit, positive weight and label smoothing.</summary>
    public BinaryLossOptions Options { get; } = Options;

    /// <summary>Number of samples.</summary>
    public int Count => Labels.Length;
}
