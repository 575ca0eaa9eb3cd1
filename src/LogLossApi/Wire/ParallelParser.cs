using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace LogLossApi.Wire;

/// <summary>
/// Reads a long JSON array of numbers on every core: converting a 17-digit number to a double costs more than
/// everything else about a request, and one reader converts them one at a time. For an array of at least
/// <see cref="MinBytes"/> that holds only number bytes up to its ']', the text is cut at commas into one part per core
/// and each part is converted by <see cref="Utf8Parser"/> (the parser <see cref="Utf8JsonReader.TryGetDouble"/>
/// uses; correctly rounded, so every value is the one the reader would give) after a strict check of JSON's number
/// grammar. Meanwhile the serializer's own reader skips the array, which checks its syntax, and must stop at the same
/// ']'. Anything unexpected — a token the grammar or the parser refuses, a count that differs, a reader that
/// disagrees — gives the array back to the reader, whose element-by-element path reports the error with its index.
/// </summary>
internal static class ParallelParser
{
    /// <summary>Arrays shorter than this (about 12,000 17-digit numbers) are read by the one reader.</summary>
    public const int MinBytes = 256 * 1024;

    // What a JSON array of numbers can hold between its brackets: digits, signs, point, exponent, commas, whitespace.
    private static readonly SearchValues<byte> NumberText = SearchValues.Create("0123456789+-.eE,\t\n\r "u8);
    private static readonly SearchValues<byte> TokenEnd = SearchValues.Create(",\t\n\r "u8);

    [ThreadStatic]
    private static ReadOnlyMemory<byte> t_body;

    /// <summary>Lets <see cref="TryRead"/> see the buffer the serializer's reader reads, until the scope is disposed.</summary>
    public static Scope Reading(ReadOnlyMemory<byte> body)
    {
        t_body = body;
        return default;
    }

    /// <summary>
    /// With the reader on an array's '[': the array as a column, the reader on its ']'; or null, the reader where it
    /// was, when the array is short, not plain numbers, or not in the buffer given to <see cref="Reading"/>.
    /// </summary>
    public static NumberColumn? TryRead(ref Utf8JsonReader reader)
    {
        var body = t_body;
        if (body.IsEmpty || reader.HasValueSequence || reader.TokenStartIndex >= body.Length)
        {
            return null;
        }

        var open = (int)reader.TokenStartIndex;
        var span = body.Span;
        var length = span[(open + 1)..].IndexOfAnyExcept(NumberText);
        if (span[open] != (byte)'[' || length < MinBytes || span[open + 1 + length] != (byte)']')
        {
            return null;
        }

        var parts = Split(span.Slice(open + 1, length), open + 1, Environment.ProcessorCount);
        var column = NumberColumn.Allocate(parts.Sum(p => p.Values));
        var start = reader;
        var parsed = Task.Run(() => Parse(body, parts, column));
        var skipped = true;
        try
        {
            reader.Skip();
        }
        catch (JsonException)
        {
            skipped = false;
        }

        if (parsed.GetAwaiter().GetResult() && skipped && reader.TokenStartIndex == open + 1 + length)
        {
            return column;
        }

        column.Dispose();
        reader = start;
        return null;
    }

    /// <summary>The text cut at commas into up to <paramref name="parts"/> pieces: where each starts in the body, its length, and the values it should hold.</summary>
    private static Piece[] Split(ReadOnlySpan<byte> text, int offset, int parts)
    {
        var pieces = new List<Piece>(parts);
        var begin = 0;
        var first = 0;
        while (begin <= text.Length)
        {
            var target = pieces.Count == parts - 1 ? -1 : begin + ((text.Length - begin) / (parts - pieces.Count));
            var comma = target < 0 ? -1 : text[target..].IndexOf((byte)',');
            var stop = comma < 0 ? text.Length : target + comma;
            var values = text[begin..stop].Count((byte)',') + 1;
            pieces.Add(new Piece(offset + begin, stop - begin, first, values));
            first += values;
            begin = stop + 1;
        }

        return [.. pieces];
    }

    private static bool Parse(ReadOnlyMemory<byte> body, Piece[] pieces, NumberColumn column)
    {
        var failed = 0;
        Parallel.For(0, pieces.Length, i =>
        {
            var piece = pieces[i];
            if (!ParsePiece(body.Span.Slice(piece.Start, piece.Length), column.WritableSpan.Slice(piece.First, piece.Values)))
            {
                Interlocked.Exchange(ref failed, 1);
            }
        });
        return failed == 0;
    }

    /// <summary>Exactly <paramref name="values"/>.Length comma-separated JSON numbers that are finite doubles, or false.</summary>
    private static bool ParsePiece(ReadOnlySpan<byte> text, Span<double> values)
    {
        var count = 0;
        while (true)
        {
            text = text.TrimStart(" \t\n\r"u8);
            var end = text.IndexOfAny(TokenEnd);
            var token = end < 0 ? text : text[..end];
            if (count == values.Length
                || !IsJsonNumber(token)
                || !Utf8Parser.TryParse(token, out double value, out var consumed)
                || consumed != token.Length
                || !double.IsFinite(value))
            {
                return false;
            }

            values[count++] = value;
            text = text[token.Length..].TrimStart(" \t\n\r"u8);
            if (text.IsEmpty)
            {
                return count == values.Length;
            }

            if (text[0] != (byte)',')
            {
                return false;
            }

            text = text[1..];
        }
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
        var rest = token[i..].IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        return rest < 0 ? token.Length : i + rest;
    }

    private readonly record struct Piece(int Start, int Length, int First, int Values);

    public readonly struct Scope : IDisposable
    {
        public void Dispose() => t_body = default;
    }
}
