using System.Buffers.Text;
using System.Numerics;

namespace LogLossApi.Wire;

/// <summary>
/// Converts a JSON number token to the nearest double with the Eisel–Lemire algorithm (Lemire, "Number Parsing at a
/// Gigabyte per Second", 2021, as in fast_float): up to 19 significant digits times a power of ten, multiplied by a
/// 128-bit approximation of that power of five. The algorithm either gives the correctly rounded double or declines;
/// it declines (and so does this class, handing the token to <see cref="Utf8Parser"/>) for more than 19 significant
/// digits, subnormal or infinite results, and the rare products too close to a rounding boundary. Correctly rounded
/// results are unique, so the value is the one <see cref="Utf8Parser"/> and the JSON reader give; the tests check it
/// on millions of tokens. Why not just <see cref="Utf8Parser"/>: on these machines it does not get faster on two
/// threads at all (a digit loop does), which left the parallel parse of long arrays no faster than one reader.
/// </summary>
internal static class FastDouble
{
    private const int SmallestPower = -342;
    private const int LargestPower = 308;

    // For each power of ten 10^q, q in [SmallestPower, LargestPower]: 5^q normalised to 128 bits (truncated for q ≥ 0,
    // one above the truncation for q < 0), high and low halves; built once, exactly, with BigInteger.
    private static readonly ulong[] PowersOfFive = BuildPowersOfFive();

    private static readonly double[] ExactPowersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    /// <summary>The double nearest to <paramref name="token"/>, which must be a valid JSON number; false only when its magnitude exceeds double's range.</summary>
    public static bool TryParse(ReadOnlySpan<byte> token, out double value)
    {
        // A one-byte JSON number is a digit: labels 0 and 1 need no arithmetic.
        if (token is [var digit])
        {
            value = digit - '0';
            return true;
        }

        if (TryDecompose(token, out var negative, out var w, out var q) && TryCompose(w, q, out value))
        {
            value = negative ? -value : value;
            return true;
        }

        return Utf8Parser.TryParse(token, out value, out _) && double.IsFinite(value);
    }

    /// <summary>
    /// The double nearest to <paramref name="token"/> when it is a JSON number (checked here) within double's range;
    /// false for anything else.
    /// </summary>
    public static bool TryParseJsonNumber(ReadOnlySpan<byte> token, out double value)
    {
        value = 0;
        return IsJsonNumber(token) && TryParse(token, out value);
    }

    /// <summary>RFC 8259's number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</summary>
    private static bool IsJsonNumber(ReadOnlySpan<byte> token)
    {
        var i = token is [(byte)'-', ..] ? 1 : 0;
        if (i == token.Length || !char.IsAsciiDigit((char)token[i]))
        {
            return false;
        }

        i = token[i] == (byte)'0' ? i + 1 : Digits(token, i);
        if (i < token.Length && token[i] == (byte)'.')
        {
            var fraction = Digits(token, i + 1);
            if (fraction == i + 1)
            {
                return false;
            }

            i = fraction;
        }

        if (i < token.Length && (token[i] | 0x20) == (byte)'e')
        {
            i++;
            if (i < token.Length && token[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }

            var exponent = Digits(token, i);
            if (exponent == i)
            {
                return false;
            }

            i = exponent;
        }

        return i == token.Length;
    }

    private static int Digits(ReadOnlySpan<byte> token, int i)
    {
        while (i < token.Length && char.IsAsciiDigit((char)token[i]))
        {
            i++;
        }

        return i;
    }

    /// <summary>
    /// A UTF-16 field (CSV) that is a JSON number of at most 64 characters, converted the same way; false for anything
    /// else ("+1", ".5", "NaN", non-ASCII digits, beyond double's range), which the caller parses its own way — to the
    /// same value where both accept it, since both round correctly.
    /// </summary>
    public static bool TryParseJsonNumber(ReadOnlySpan<char> text, out double value)
    {
        if (text is [var digit] && char.IsAsciiDigit(digit))
        {
            value = digit - '0';
            return true;
        }

        Span<byte> bytes = stackalloc byte[64];
        value = 0;
        return text.Length is > 0 and <= 64
            && System.Text.Ascii.FromUtf16(text, bytes, out var written) == System.Buffers.OperationStatus.Done
            && TryParseJsonNumber(bytes[..written], out value);
    }

    /// <summary>Sign, significand (at most 19 digits) and power of ten of a JSON number; false when it has more digits.</summary>
    private static bool TryDecompose(ReadOnlySpan<byte> token, out bool negative, out ulong w, out int q)
    {
        var i = 0;
        negative = token[0] == (byte)'-';
        if (negative)
        {
            i++;
        }

        w = 0;
        q = 0;
        var digits = 0;
        for (; i < token.Length && char.IsAsciiDigit((char)token[i]); i++)
        {
            if (!Accumulate(ref w, ref digits, token[i]))
            {
                return false;
            }
        }

        if (i < token.Length && token[i] == (byte)'.')
        {
            for (i++; i < token.Length && char.IsAsciiDigit((char)token[i]); i++)
            {
                if (!Accumulate(ref w, ref digits, token[i]))
                {
                    return false;
                }

                q--;
            }
        }

        if (i < token.Length)
        {
            // 'e' or 'E', an optional sign, digits (the grammar has been checked); a huge exponent only needs to stay huge.
            i++;
            var negativeExponent = token[i] == (byte)'-';
            if (token[i] is (byte)'-' or (byte)'+')
            {
                i++;
            }

            var exponent = 0;
            for (; i < token.Length; i++)
            {
                exponent = Math.Min((exponent * 10) + (token[i] - '0'), 100_000);
            }

            q += negativeExponent ? -exponent : exponent;
        }

        return true;
    }

    // Leading zeros are not significant digits; a twentieth significant digit is more than the algorithm takes.
    private static bool Accumulate(ref ulong w, ref int digits, byte digit)
    {
        if (w == 0 && digit == (byte)'0')
        {
            return true;
        }

        if (++digits > 19)
        {
            return false;
        }

        w = (w * 10) + (ulong)(digit - '0');
        return true;
    }

    /// <summary>w × 10^q correctly rounded, or false when this method cannot be sure of it (or it is subnormal or infinite).</summary>
    private static bool TryCompose(ulong w, int q, out double value)
    {
        value = 0;
        if (w == 0)
        {
            return true;
        }

        if (w <= 1UL << 53 && q is >= -22 and <= 22)
        {
            // Clinger's fast path: both operands exact, one rounding.
            value = q < 0 ? w / ExactPowersOfTen[-q] : w * ExactPowersOfTen[q];
            return true;
        }

        if (q is < SmallestPower or > LargestPower)
        {
            return false;
        }

        var lz = BitOperations.LeadingZeroCount(w);
        w <<= lz;
        var index = 2 * (q - SmallestPower);
        var high = Math.BigMul(w, PowersOfFive[index], out var low);
        if ((high & 0x1FF) == 0x1FF)
        {
            var secondHigh = Math.BigMul(w, PowersOfFive[index + 1], out _);
            low += secondHigh;
            if (secondHigh > low)
            {
                high++;
            }
        }

        if (low == ulong.MaxValue && q is < -27 or > 55)
        {
            // So close to a boundary that 128 bits of 5^q may not settle it: leave it to the exact parser.
            return false;
        }

        var upperBit = (int)(high >> 63);
        var shift = upperBit + 9;
        var mantissa = high >> shift;
        var power2 = (int)(((152170L + 65536L) * q) >> 16) + 63 + upperBit - lz + 1023;
        if (power2 <= 0)
        {
            return false;
        }

        if (low <= 1 && q is >= -4 and <= 23 && (mantissa & 3) == 1 && (mantissa << shift) == high)
        {
            // Exactly halfway between two doubles: round to even, which here is down.
            mantissa &= ~1UL;
        }

        mantissa += mantissa & 1;
        mantissa >>= 1;
        if (mantissa >= 2UL << 52)
        {
            mantissa = 1UL << 52;
            power2++;
        }

        if (power2 >= 0x7FF)
        {
            return false;
        }

        value = BitConverter.UInt64BitsToDouble((mantissa & ~(1UL << 52)) | ((ulong)power2 << 52));
        return true;
    }

    private static ulong[] BuildPowersOfFive()
    {
        var table = new ulong[2 * (LargestPower - SmallestPower + 1)];
        var power5 = BigInteger.One;
        for (var p = 0; p <= Math.Max(-SmallestPower, LargestPower); p++, power5 *= 5)
        {
            if (p <= LargestPower)
            {
                Store(table, p, FivePowers.Normalized(power5, 128));
            }

            if (p > 0 && -p >= SmallestPower)
            {
                // 5^−p: one above a truncated reciprocal, computed with 64 bits more for p > 27.
                var z = (int)power5.GetBitLength();
                var b = p <= 27 ? z + 127 : (2 * z) + 128;
                Store(table, -p, FivePowers.Normalized((BigInteger.One << b) / power5 + 1, 128));
            }
        }

        return table;
    }

    private static void Store(ulong[] table, int q, BigInteger value)
    {
        var index = 2 * (q - SmallestPower);
        table[index] = (ulong)(value >> 64);
        table[index + 1] = (ulong)(value & ulong.MaxValue);
    }
}
