namespace LogLossApi.Scoring;

/// <summary>Neumaier's compensated summation: the error of a sum of n terms stays O(ε) instead of O(nε).</summary>
/// <remarks>Used to add up per-block partial sums, so a million-sample mean keeps full double precision.</remarks>
internal struct CompensatedSum
{
    private double _sum;
    private double _compensation;

    /// <summary>A sum from its two parts, as <see cref="Parts"/> gave them.</summary>
    public static CompensatedSum Of(CompensatedValue parts) => new() { _sum = parts.Sum, _compensation = parts.Compensation };

    /// <summary>Both parts, to carry the sum elsewhere without losing its precision.</summary>
    public readonly CompensatedValue Parts => new(_sum, _compensation);

    /// <summary>The compensated total.</summary>
    public readonly double Value => _sum + _compensation;

    /// <summary>Multiplies the total by 2^<paramref name="exponent"/>: exact, but for parts that fall below the subnormal range.</summary>
    public void ScaleB(int exponent)
    {
        _sum = Math.ScaleB(_sum, exponent);
        _compensation = Math.ScaleB(_compensation, exponent);
    }

    /// <summary>Adds another compensated total (both parts, so nothing of its precision is lost).</summary>
    public void Add(in CompensatedSum other)
    {
        Add(other._sum);
        Add(other._compensation);
    }

    /// <summary>Adds <paramref name="value"/> to the running total.</summary>
    public void Add(double value)
    {
        var total = _sum + value;
        _compensation += Math.Abs(_sum) >= Math.Abs(value)
            ? (_sum - total) + value
            : (value - total) + _sum;
        _sum = total;
    }
}
