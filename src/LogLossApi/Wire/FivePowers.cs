using System.Numerics;

namespace LogLossApi.Wire;

/// <summary>What the power-of-five tables of <see cref="FastDouble"/> and <see cref="ShortestDouble"/> share.</summary>
internal static class FivePowers
{
    /// <summary><paramref name="value"/> shifted to exactly <paramref name="bits"/> significant bits (truncating).</summary>
    public static BigInteger Normalized(BigInteger value, int bits)
    {
        var shift = (int)value.GetBitLength() - bits;
        return shift >= 0 ? value >> shift : value << -shift;
    }
}
