using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LogLossApi.BinaryLogLoss;
using LogLossApi.Wire.Columns;

namespace LogLossApi.Tests;

/// <summary>
/// <see cref="NumberColumnConverter"/>: a long array's values after the first <see cref="NumberColumnConverter.InlineValues"/>
/// are converted on every core (<see cref="NumberTokens"/>) and equal double.Parse of their text bit for bit, from one
/// span or from many segments; a bad element anywhere is refused with its index.
/// </summary>
public sealed class NumberColumnConverterTests
{
    // Well past the values converted inline, so that most are converted in parallel.
    private const int Count = 50_000;

    public static TheoryData<string> Formats => new("R", "E16", "F20", "G17", "mixed");

    [Theory]
    [MemberData(nameof(Formats))]
    public void Long_arrays_parse_to_the_values_double_Parse_gives(string format)
    {
        var random = new Random(format.Length);
        var numbers = new string[Count];
        for (var i = 0; i < Count; i++)
        {
            var value = i % 5 == 0 ? random.NextDouble() * Math.Pow(10, random.Next(-300, 300)) : random.NextDouble();
            numbers[i] = format == "mixed"
                ? (i % 6) switch
                {
                    0 => value.ToString("R", CultureInfo.InvariantCulture),
                    1 => "-" + value.ToString("e3", CultureInfo.InvariantCulture),
                    2 => random.Next(1000).ToString(CultureInfo.InvariantCulture),
                    3 => value.ToString("E", CultureInfo.InvariantCulture).Replace("E+", "e", StringComparison.Ordinal),
                    4 => "0.00000000000000000000000000012345678901234567890123",
                    _ => "-0",
                }
                : value.ToString(format, CultureInfo.InvariantCulture);
        }

        var body = Body(format == "mixed" ? string.Join(" ,\n\t", numbers) : string.Join(",", numbers));
        var expected = numbers.Select(n => double.Parse(n, CultureInfo.InvariantCulture)).ToArray();

        using var whole = Read(body);
        using var segmented = Read(Segments(body, 4096));

        Assert.Equal(Count, whole.Probabilities!.Length);
        Assert.True(expected.AsSpan().SequenceEqual(whole.Probabilities.Span), "a value differs from double.Parse of its text");
        Assert.True(expected.AsSpan().SequenceEqual(segmented.Probabilities!.Span), "a value read from segments differs");
    }

    [Theory]
    [InlineData(7, "1e400")]
    [InlineData(Count - 7, "1e400")]
    [InlineData(Count - 7, "-1e309")]
    [InlineData(Count - 7, "17976931348623159" + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000")]
    public void A_number_beyond_double_range_is_refused_where_the_reader_stands_with_its_index(int index, string bad)
    {
        var numbers = Enumerable.Repeat("0.25", Count).ToArray();
        numbers[index] = bad;

        var error = Assert.ThrowsAny<JsonException>(() => Read(Body(string.Join(",", numbers))));

        Assert.Equal($"[{index}]", NumberColumnConverter.ElementKeyOf(error));
        Assert.Contains("beyond the range of a double", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.BytePositionInLine);
    }

    [Theory]
    [InlineData("1e308")]
    [InlineData("-1.7976931348623157e308")]
    [InlineData("1e-400")]
    [InlineData("179769313486231570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000")]
    public void Numbers_at_the_edge_of_double_range_are_read_on_both_paths(string edge)
    {
        var numbers = Enumerable.Repeat("0.25", Count).ToArray();
        numbers[7] = edge;
        numbers[Count - 7] = edge;

        using var request = Read(Body(string.Join(",", numbers)));

        var expected = double.Parse(edge, CultureInfo.InvariantCulture);
        Assert.Equal(expected, request.Probabilities!.Span[7]);
        Assert.Equal(expected, request.Probabilities.Span[Count - 7]);
    }

    [Theory]
    [InlineData(7, "\"0.5\"", "not a string")]
    [InlineData(Count - 7, "\"0.5\"", "not a string")]
    [InlineData(Count - 7, "null", "not null")]
    [InlineData(Count - 7, "[1]", "not an array")]
    public void A_bad_element_is_refused_with_its_index(int index, string bad, string message)
    {
        var numbers = Enumerable.Repeat("0.25", Count).ToArray();
        numbers[index] = bad;

        var error = Assert.ThrowsAny<JsonException>(() => Read(Body(string.Join(",", numbers))));

        Assert.Equal($"[{index}]", NumberColumnConverter.ElementKeyOf(error));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("01")]
    [InlineData("1.")]
    [InlineData("+1")]
    [InlineData("0.5,,0.5")]
    public void A_syntax_error_late_in_a_long_array_is_the_reader_s(string bad)
    {
        var numbers = Enumerable.Repeat("0.25", Count).ToArray();
        numbers[Count - 3] = bad;

        Assert.ThrowsAny<JsonException>(() => Read(Body(string.Join(",", numbers))));
    }

    private static byte[] Body(string probabilities) =>
        Encoding.UTF8.GetBytes($$"""{"labels":[1],"probabilities":[{{probabilities}}]}""");

    private static BinaryLogLossRequest Read(byte[] body) =>
        JsonSerializer.Deserialize(body, BinaryLogLossJsonContext.Default.BinaryLogLossRequest)!;

    private static BinaryLogLossRequest Read(ReadOnlySequence<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        return JsonSerializer.Deserialize(ref reader, BinaryLogLossJsonContext.Default.BinaryLogLossRequest)!;
    }

    /// <summary>The body cut into segments of <paramref name="size"/> bytes, so that tokens straddle them.</summary>
    private static ReadOnlySequence<byte> Segments(byte[] body, int size)
    {
        Segment? first = null;
        Segment? last = null;
        for (var start = 0; start < body.Length; start += size)
        {
            var segment = new Segment(body.AsMemory(start, Math.Min(size, body.Length - start)), start);
            first ??= segment;
            last?.Link(segment);
            last = segment;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long index)
        {
            Memory = memory;
            RunningIndex = index;
        }

        public void Link(Segment next) => Next = next;
    }
}
