using System.Numerics;
using csFastFloat;

namespace LogLossApi.Wire.Numbers;

/// <summary>
/// Number text to double, the one place it happens: csFastFloat (Lemire's fast_float, correctly rounded, so every
/// value is the one <see cref="double.Parse(string)"/> and the JSON reader give) behind JSON's number grammar, which
/// is checked here because csFastFloat accepts more ("+1", ".5", "1.", "inf", "nan"). A JSON token beyond double's
/// range (1e400) becomes ±∞, as the JSON reader makes it, so that validation refuses it by its index.
/// </summary>
internal static class NumberText
{
    /// <summary>The double nearest to <paramref name="token"/>, which the JSON reader has already checked (±∞ beyond double's range).</summary>
    public static bool TryParseJsonToken(ReadOnlySpan<byte> token, out double value)
    {
        // A one-byte JSON number is a digit: labels 0 and 1 need no arithmetic.
        if (token is [var digit])
        {
            value = digit - '0';
            return true;
        }

        return FastDoubleParser.TryParseDouble(token, out value);
    }

    /// <summary>The double nearest to <paramref name="token"/> when it is a JSON number within double's range; false for anything else.</summary>
    public static bool TryParseJsonNumber(ReadOnlySpan<byte> token, out double value)
    {
        value = 0;
        return IsJsonNumber(token) && TryParseJsonToken(token, out value) && double.IsFinite(value);
    }

    /// <summary>A UTF-16 field (CSV) as <see cref="TryParseJsonNumber(ReadOnlySpan{byte}, out double)"/> reads a UTF-8 one.</summary>
    public static bool TryParseJsonNumber(ReadOnlySpan<char> text, out double value)
    {
        if (text is [var digit] && char.IsAsciiDigit(digit))
        {
            value = digit - '0';
            return true;
        }

        value = 0;
        return IsJsonNumber(text) && FastDoubleParser.TryParseDouble(text, out value) && double.IsFinite(value);
    }

    /// <summary>RFC 8259's number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</summary>
    private static bool IsJsonNumber<T>(ReadOnlySpan<T> token)
        where T : IBinaryInteger<T>
    {
        var i = token.Length > 0 && token[0] == T.CreateTruncating('-') ? 1 : 0;
        if (i == token.Length || !IsDigit(token[i]))
        {
            return false;
        }

        i = token[i] == T.CreateTruncating('0') ? i + 1 : Digits(token, i);
        if (i < token.Length && token[i] == T.CreateTruncating('.'))
        {
            var fraction = Digits(token, i + 1);
            if (fraction == i + 1)
            {
                return false;
            }

            i = fraction;
        }

        if (i < token.Length && (token[i] | T.CreateTruncating(0x20)) == T.CreateTruncating('e'))
        {
            i++;
            if (i < token.Length && (token[i] == T.CreateTruncating('+') || token[i] == T.CreateTruncating('-')))
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

    private static bool IsDigit<T>(T c)
        where T : IBinaryInteger<T> =>
        c >= T.CreateTruncating('0') && c <= T.CreateTruncating('9');

    private static int Digits<T>(ReadOnlySpan<T> token, int i)
        where T : IBinaryInteger<T>
    {
        while (i < token.Length && IsDigit(token[i]))
        {
            i++;
        }

        return i;
    }
}
