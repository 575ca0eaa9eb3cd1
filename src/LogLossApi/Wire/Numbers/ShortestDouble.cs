using System.Numerics;

namespace LogLossApi.Wire.Numbers;

/// <summary>
/// Writes a finite double as the bytes <see cref="System.Text.Json.Utf8JsonWriter.WriteNumberValue(double)"/> writes
/// — its shortest round-trip digits, positional for decimal exponents −4 to 16 and "d.dddE±XX" outside — but about three times
/// faster, with Ryū (Ulf Adams, "Ryū: Fast Float-to-String Conversion", PLDI 2018): the shortest decimal in the
/// interval of values that round to the double, found with 128-bit multiplications by powers of five. Correctly
/// rounded shortest output is unique, so the digits are .NET's; the tests compare the bytes with
/// <see cref="System.Text.Json.Utf8JsonWriter"/>'s on millions of values. Writing a million losses was the largest
/// single cost of a large request after parsing, and the formatting of 100 losses a sixth of a small one's.
/// </summary>
internal static class ShortestDouble
{
    /// <summary>The longest text: "-2.2250738585072014E-308".</summary>
    public const int MaxLength = 24;

    private const int MantissaBits = 52;
    private const int ExponentBias = 1023;
    private const int Pow5InverseBitCount = 125;
    private const int Pow5BitCount = 125;

    // 5^i to 125 bits (truncated), i in [0, 326); ⌊2^(bits(5^q) − 1 + 125) / 5^q⌋ + 1, q in [0, 342): low, high halves.
    private static readonly ulong[] Pow5Split = BuildPow5Split();
    private static readonly ulong[] Pow5InverseSplit = BuildPow5InverseSplit();

    private static ReadOnlySpan<byte> DigitPairs => "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    /// <summary>
    /// Writes <paramref name="value"/> (finite) into <paramref name="destination"/> (at least <see cref="MaxLength"/>
    /// bytes); returns the length. −0 is written 0: no response contains −0.
    /// </summary>
    public static int Format(double value, Span<byte> destination)
    {
        var bits = BitConverter.DoubleToUInt64Bits(value + 0.0);
        var length = 0;
        if ((long)bits < 0)
        {
            destination[length++] = (byte)'-';
        }

        var mantissa = bits & ((1UL << MantissaBits) - 1);
        var exponent = (int)((bits >> MantissaBits) & 0x7FF);
        if (exponent == 0 && mantissa == 0)
        {
            destination[length++] = (byte)'0';
            return length;
        }

        var (digits, power) = SmallInteger(mantissa, exponent, out var integer) ? integer : Shortest(mantissa, exponent);
        return length + Write(digits, power, destination[length..]);
    }

    /// <summary>An integer below 2^53 exactly, trailing zeros moved into the exponent.</summary>
    private static bool SmallInteger(ulong mantissa, int exponent, out (ulong Digits, int Power) result)
    {
        result = default;
        var m2 = (1UL << MantissaBits) | mantissa;
        var e2 = exponent - ExponentBias - MantissaBits;
        if (e2 is > 0 or < -52 || (m2 & ((1UL << -e2) - 1)) != 0)
        {
            return false;
        }

        var digits = m2 >> -e2;
        var power = 0;
        while (digits % 10 == 0)
        {
            digits /= 10;
            power++;
        }

        result = (digits, power);
        return true;
    }

    /// <summary>Ryū's d2d: the shortest digits and their power of ten.</summary>
    private static (ulong Digits, int Power) Shortest(ulong mantissa, int exponent)
    {
        int e2;
        ulong m2;
        if (exponent == 0)
        {
            e2 = 1 - ExponentBias - MantissaBits - 2;
            m2 = mantissa;
        }
        else
        {
            e2 = exponent - ExponentBias - MantissaBits - 2;
            m2 = (1UL << MantissaBits) | mantissa;
        }

        var acceptBounds = (m2 & 1) == 0;
        var mv = 4 * m2;
        var mmShift = mantissa != 0 || exponent <= 1 ? 1UL : 0UL;
        ulong vr, vp, vm;
        int e10;
        var vmIsTrailingZeros = false;
        var vrIsTrailingZeros = false;
        if (e2 >= 0)
        {
            var q = Log10Pow2(e2) - (e2 > 3 ? 1 : 0);
            e10 = q;
            var k = Pow5InverseBitCount + Pow5Bits(q) - 1;
            var i = -e2 + q + k;
            vr = MulShift(mv, Pow5InverseSplit, q, i);
            vp = MulShift(mv + 2, Pow5InverseSplit, q, i);
            vm = MulShift(mv - 1 - mmShift, Pow5InverseSplit, q, i);
            if (q <= 21)
            {
                if (mv % 5 == 0)
                {
                    vrIsTrailingZeros = MultipleOfPowerOf5(mv, q);
                }
                else if (acceptBounds)
                {
                    vmIsTrailingZeros = MultipleOfPowerOf5(mv - 1 - mmShift, q);
                }
                else if (MultipleOfPowerOf5(mv + 2, q))
                {
                    vp--;
                }
            }
        }
        else
        {
            var q = Log10Pow5(-e2) - (-e2 > 1 ? 1 : 0);
            e10 = q + e2;
            var i = -e2 - q;
            var k = Pow5Bits(i) - Pow5BitCount;
            var j = q - k;
            vr = MulShift(mv, Pow5Split, i, j);
            vp = MulShift(mv + 2, Pow5Split, i, j);
            vm = MulShift(mv - 1 - mmShift, Pow5Split, i, j);
            if (q <= 1)
            {
                vrIsTrailingZeros = true;
                if (acceptBounds)
                {
                    vmIsTrailingZeros = mmShift == 1;
                }
                else
                {
                    vp--;
                }
            }
            else if (q < 63)
            {
                vrIsTrailingZeros = (mv & ((1UL << q) - 1)) == 0;
            }
        }

        var removed = 0;
        ulong output;
        if (vmIsTrailingZeros || vrIsTrailingZeros)
        {
            // The rare general case (~0.7 %): the exact value may end in zeros, and ties round to even.
            var lastRemovedDigit = 0UL;
            while (vp / 10 > vm / 10)
            {
                vmIsTrailingZeros &= vm % 10 == 0;
                vrIsTrailingZeros &= lastRemovedDigit == 0;
                lastRemovedDigit = DropDigit(ref vr, ref vp, ref vm, ref removed);
            }

            while (vmIsTrailingZeros && vm % 10 == 0)
            {
                vrIsTrailingZeros &= lastRemovedDigit == 0;
                lastRemovedDigit = DropDigit(ref vr, ref vp, ref vm, ref removed);
            }

            if (vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0)
            {
                lastRemovedDigit = 4;
            }

            output = vr + ((vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5 ? 1UL : 0UL);
        }
        else
        {
            var roundUp = false;
            if (vp / 100 > vm / 100)
            {
                roundUp = vr % 100 >= 50;
                vr /= 100;
                vp /= 100;
                vm /= 100;
                removed += 2;
            }

            while (vp / 10 > vm / 10)
            {
                roundUp = DropDigit(ref vr, ref vp, ref vm, ref removed) >= 5;
            }

            output = vr + (vr == vm || roundUp ? 1UL : 0UL);
        }

        return (output, e10 + removed);
    }

    /// <summary>Drops the last digit of all three bounds; returns the one dropped from <paramref name="vr"/>.</summary>
    private static ulong DropDigit(ref ulong vr, ref ulong vp, ref ulong vm, ref int removed)
    {
        var digit = vr % 10;
        vr /= 10;
        vp /= 10;
        vm /= 10;
        removed++;
        return digit;
    }

    /// <summary>digits × 10^power as .NET's JSON writer writes it: positional for a decimal exponent in [−4, 16], else "d.dddE±XX".</summary>
    private static int Write(ulong digits, int power, Span<byte> destination)
    {
        // Two digits per division, right to left.
        Span<byte> text = stackalloc byte[20];
        var at = 20;
        var rest = digits;
        while (rest >= 100)
        {
            var pair = (int)(rest % 100);
            rest /= 100;
            at -= 2;
            text[at] = DigitPairs[2 * pair];
            text[at + 1] = DigitPairs[(2 * pair) + 1];
        }

        if (rest >= 10)
        {
            at -= 2;
            text[at] = DigitPairs[2 * (int)rest];
            text[at + 1] = DigitPairs[(2 * (int)rest) + 1];
        }
        else
        {
            text[--at] = (byte)('0' + (int)rest);
        }

        var count = 20 - at;
        var significant = text[at..];
        var scientific = power + count - 1;
        if (scientific is >= -4 and < 17)
        {
            if (power >= 0)
            {
                significant.CopyTo(destination);
                destination.Slice(count, power).Fill((byte)'0');
                return count + power;
            }

            if (scientific >= 0)
            {
                var whole = scientific + 1;
                significant[..whole].CopyTo(destination);
                destination[whole] = (byte)'.';
                significant[whole..].CopyTo(destination[(whole + 1)..]);
                return count + 1;
            }

            destination[0] = (byte)'0';
            destination[1] = (byte)'.';
            var zeros = -scientific - 1;
            destination.Slice(2, zeros).Fill((byte)'0');
            significant.CopyTo(destination[(2 + zeros)..]);
            return 2 + zeros + count;
        }

        var length = 0;
        destination[length++] = significant[0];
        if (count > 1)
        {
            destination[length++] = (byte)'.';
            significant[1..].CopyTo(destination[length..]);
            length += count - 1;
        }

        destination[length++] = (byte)'E';
        destination[length++] = scientific < 0 ? (byte)'-' : (byte)'+';
        var magnitude = Math.Abs(scientific);
        if (magnitude >= 100)
        {
            destination[length++] = (byte)('0' + (magnitude / 100));
        }

        destination[length++] = (byte)('0' + (magnitude / 10 % 10));
        destination[length++] = (byte)('0' + (magnitude % 10));
        return length;
    }

    // ⌊log10(2^e)⌋ and ⌊log10(5^e)⌋ for the exponents that occur; ⌈log2(5^e)⌉ (1 for e = 0).
    private static int Log10Pow2(int e) => (int)(((uint)e * 78913) >> 18);

    private static int Log10Pow5(int e) => (int)(((uint)e * 732923) >> 20);

    private static int Pow5Bits(int e) => (int)(((uint)e * 1217359) >> 19) + 1;

    private static bool MultipleOfPowerOf5(ulong value, int p)
    {
        var count = 0;
        while (value % 5 == 0)
        {
            value /= 5;
            count++;
        }

        return count >= p;
    }

    /// <summary>(m × table[index]) >> shift, the table entry being 128 bits; Ryū's shifts here are always 65 to 127.</summary>
    private static ulong MulShift(ulong m, ulong[] table, int index, int shift)
    {
        var high = Math.BigMul(m, table[(2 * index) + 1], out var low);
        var sum = low + Math.BigMul(m, table[2 * index], out _);
        if (sum < low)
        {
            high++;
        }

        var distance = shift - 64;
        return (high << (64 - distance)) | (sum >> distance);
    }

    private static ulong[] BuildPow5Split()
    {
        var table = new ulong[2 * 326];
        var pow = BigInteger.One;
        for (var i = 0; i < 326; i++, pow *= 5)
        {
            Store(table, i, Normalized(pow, Pow5BitCount));
        }

        return table;
    }

    private static ulong[] BuildPow5InverseSplit()
    {
        var table = new ulong[2 * 342];
        var pow = BigInteger.One;
        for (var q = 0; q < 342; q++, pow *= 5)
        {
            var shift = (int)pow.GetBitLength() - 1 + Pow5InverseBitCount;
            Store(table, q, (BigInteger.One << shift) / pow + 1);
        }

        return table;
    }

    private static void Store(ulong[] table, int index, BigInteger value)
    {
        table[2 * index] = (ulong)(value & ulong.MaxValue);
        table[(2 * index) + 1] = (ulong)(value >> 64);
    }

    /// <summary><paramref name="value"/> shifted to exactly <paramref name="bits"/> significant bits (truncating).</summary>
    private static BigInteger Normalized(BigInteger value, int bits)
    {
        var shift = (int)value.GetBitLength() - bits;
        return shift >= 0 ? value >> shift : value << -shift;
    }
}
