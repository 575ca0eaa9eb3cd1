using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace LogLossApi.Wire;

/// <summary>
/// Reads a long JSON array of numbers on every core: converting a 17-digit number to a double costs more than
/// everything else about a request, and one reader converts them one at a time. For an array of at least
/// <see cref="MinBytes"/> that holds only number bytes up to its ']', the text is cut at commas into one part per core;
/// each token is checked against JSON's number grammar (so the array's syntax is checked as the reader checks it) and
/// converted by <see cref="FastDouble"/> (Eisel–Lemire, or the reader's own parser for what that declines; both
/// correctly rounded, so every value is the one the reader would give). The serializer's reader then continues from
/// the ']' with its own state (<see cref="Utf8JsonReader.CurrentState"/>, as for a next buffer) instead of tokenizing
/// the array a second time. Anything unexpected — a token the grammar or the parser refuses, a count that differs —
/// leaves the array to the reader, whose element-by-element path reports the error with its index.
/// </summary>
/// <remarks>
/// The continued reader counts bytes from the ']', not from the start of the body. Two things depend on that count,
/// and both are kept exact: the serializer re-reads properties that are not constructor parameters from saved offsets
/// after creating the object, so only types whose every such object binds all properties through its constructor
/// are read this way (<see cref="CanContinue"/>); and error positions, so <see cref="JsonBody"/> answers any failure
/// by reading the body again the plain way, which gives the reference error (and the columns of the failed attempt are
/// given back first, <see cref="Scope"/>).
/// </remarks>
internal static class ParallelParser
{
    /// <summary>Arrays shorter than this (about 12,000 17-digit numbers) are read by the one reader.</summary>
    public const int MinBytes = 256 * 1024;

    // What a JSON array of numbers can hold between its brackets: digits, signs, point, exponent, commas, whitespace.
    private static readonly SearchValues<byte> NumberText = SearchValues.Create("0123456789+-.eE,\t\n\r "u8);
    private static readonly ConcurrentDictionary<Type, bool> Continuable = new();

    [ThreadStatic]
    private static Scope? t_scope;

    /// <summary>
    /// Whether <paramref name="typeInfo"/>'s objects, and every object inside them, bind all their properties through
    /// their constructors: then the serializer keeps no byte offsets that a continued reader would shift.
    /// </summary>
    public static bool CanContinue(JsonTypeInfo typeInfo) =>
        Continuable.GetOrAdd(typeInfo.Type, _ => BindsThroughConstructors(typeInfo, []));

    /// <summary>
    /// Lets <see cref="TryRead"/> see the buffer the serializer's reader reads and keeps every column read until the
    /// scope is disposed; <see cref="Scope.Fail"/> gives them back.
    /// </summary>
    public static Scope Reading(ReadOnlyMemory<byte> body) => t_scope = new Scope(body);

    /// <summary>Notes a column the serializer now holds, so that a failed read can give it back.</summary>
    public static NumberColumn Track(NumberColumn column)
    {
        t_scope?.Columns.Add(column);
        return column;
    }

    /// <summary>
    /// With the reader on an array's '[': the array as a column, the reader on its ']'; or null, the reader where it
    /// was, when the array is short, not plain numbers, or not in the buffer given to <see cref="Reading"/>.
    /// </summary>
    public static NumberColumn? TryRead(ref Utf8JsonReader reader)
    {
        if (t_scope is not { } scope || reader.HasValueSequence || scope.Offset + reader.TokenStartIndex >= scope.Body.Length)
        {
            return null;
        }

        var body = scope.Body;
        var open = (int)(scope.Offset + reader.TokenStartIndex);
        var span = body.Span;
        var length = span[(open + 1)..].IndexOfAnyExcept(NumberText);
        if (span[open] != (byte)'[' || length < MinBytes || span[open + 1 + length] != (byte)']')
        {
            return null;
        }

        var parts = Split(span.Slice(open + 1, length), open + 1, Environment.ProcessorCount);
        var column = NumberColumn.Allocate(parts.Sum(p => p.Values));
        if (!Parse(body, parts, column))
        {
            column.Dispose();
            return null;
        }

        // The reader goes on from the ']' (its positions now count from there: the scope keeps where that is).
        scope.Offset = open + 1 + length;
        reader = new Utf8JsonReader(span[scope.Offset..], isFinalBlock: true, reader.CurrentState);
        reader.Read();
        return Track(column);
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
        var i = SkipSpace(text, 0);
        while (true)
        {
            var start = i;
            while (i < text.Length && text[i] != (byte)',' && !IsSpace(text[i]))
            {
                i++;
            }

            if (count == values.Length || !FastDouble.TryParseJsonNumber(text[start..i], out values[count]))
            {
                return false;
            }

            count++;

            i = SkipSpace(text, i);
            if (i == text.Length)
            {
                return count == values.Length;
            }

            if (text[i] != (byte)',')
            {
                return false;
            }

            i = SkipSpace(text, i + 1);
        }
    }

    private static int SkipSpace(ReadOnlySpan<byte> text, int i)
    {
        while (i < text.Length && IsSpace(text[i]))
        {
            i++;
        }

        return i;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    private static bool BindsThroughConstructors(JsonTypeInfo typeInfo, HashSet<Type> seen)
    {
        if (!seen.Add(typeInfo.Type))
        {
            return true;
        }

        return typeInfo.Kind switch
        {
            JsonTypeInfoKind.Object => typeInfo.Properties.All(p =>
                (p.Set is null || p.AssociatedParameter is not null) && BindsThroughConstructors(typeInfo.Options.GetTypeInfo(p.PropertyType), seen)),
            JsonTypeInfoKind.Enumerable or JsonTypeInfoKind.Dictionary => BindsThroughConstructors(typeInfo.Options.GetTypeInfo(typeInfo.ElementType!), seen),
            _ => true,
        };
    }

    private readonly record struct Piece(int Start, int Length, int First, int Values);

    public sealed class Scope(ReadOnlyMemory<byte> body) : IDisposable
    {
        internal ReadOnlyMemory<byte> Body => body;

        /// <summary>Where in <see cref="Body"/> the span of the serializer's current reader starts.</summary>
        internal int Offset { get; set; }

        internal List<NumberColumn> Columns { get; } = [];

        /// <summary>The read failed: gives back every column it had read.</summary>
        public void Fail()
        {
            foreach (var column in Columns)
            {
                column.Dispose();
            }
        }

        public void Dispose() => t_scope = null;
    }
}
