namespace LogLossApi.Scoring;

/// <summary>The unit in which losses, entropies and divergences are reported.</summary>
public enum LossUnit
{
    /// <summary>Natural logarithm (base e). The default.</summary>
    Nats,

    /// <summary>Base-2 logarithm: the nats value divided by ln 2.</summary>
    Bits,
}

/// <summary>Conversions between nats and the reporting unit.</summary>
public static class LossUnitExtensions
{
    /// <summary>The factor that turns a value in nats into <paramref name="unit"/>: 1 for nats, 1 / ln 2 for bits.</summary>
    public static double FromNats(this LossUnit unit) => unit switch
    {
        LossUnit.Nats => 1.0,
        LossUnit.Bits => 1.0 / Math.Log(2.0),
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown unit."),
    };
}
