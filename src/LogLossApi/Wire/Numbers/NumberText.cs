using System.Numerics;
using System.Runtime.CompilerServices;
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

    /// <summary>
    /// Whether a JSON number token (already checked by the reader) is beyond double's range, ±1.8e308. Only a token of
    /// more than 308 bytes (309 digits) or with an exponent of 3 to 5 characters ("e308", "e+400", "e1000", "e+0400") can
    /// be, so only such a token is parsed here: three byte tests per token, where a scan for 'e' cost the 1M-value
    /// request 7 %. A longer exponent ("1e+00400") passes and is refused by validation, by its index only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsBeyondDouble(ReadOnlySpan<byte> token) =>
        (token.Length > 308 || IsExponentAt(token, 4) || IsExponentAt(token, 5) || IsExponentAt(token, 6)) && ParsesBeyondDouble(token);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool ParsesBeyondDouble(ReadOnlySpan<byte> token) => TryParseJsonToken(token, out var value) && !double.IsFinite(value);

    // 'e' and 'E' are the only bytes of a JSON number that are 'e' with the 0x20 bit set.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsExponentAt(ReadOnlySpan<byte> token, int fromEnd) => token.Length >= fromEnd && (token[^fromEnd] | 0x20) == 'e';

    /// <summary>What a value beyond double's range is told, wherever it comes.</summary>
    public const string BeyondDouble = "Is beyond the range of a double (about ±1.8e308): send a finite number.";

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
