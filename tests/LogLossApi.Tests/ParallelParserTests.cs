using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LogLossApi.BinaryLogLoss;
using LogLossApi.Infrastructure;
using LogLossApi.Wire;

namespace LogLossApi.Tests;

/// <summary>
/// Long arrays read on every core (<see cref="ParallelParser"/>) give the values the one reader gives, bit for bit,
/// and a body the reader refuses is refused with the same element index.
/// </summary>
public sealed class ParallelParserTests
{
    // 40,000 numbers of about 20 bytes: well over the parallel threshold.
    private const int Count = 40_000;

    public static TheoryData<string> Formats => new("R", "E16", "F20", "G17", "mixed");

    [Theory]
    [MemberData(nameof(Formats))]
    public void Long_arrays_parse_to_the_values_the_reader_gives(string format)
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

        using var parallel = ReadInParallel(body)!;

        var expected = numbers.Select(n => double.Parse(n, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(Count, parallel.Probabilities!.Length);
        Assert.True(expected.AsSpan().SequenceEqual(parallel.Probabilities.Span), "a value differs from double.Parse of its text");
        using var sequential = ReadPlainly(body)!;
        Assert.True(sequential.Probabilities!.Span.SequenceEqual(parallel.Probabilities.Span));
    }

    [Fact]
    public void A_long_plain_array_is_read_in_parallel_and_the_reader_left_on_its_end()
    {
        var body = BodyWith("0.5");
        var reader = new Utf8JsonReader(body);
        while (reader.Read() && !(reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("probabilities")))
        {
        }

        reader.Read();
        using var scope = ParallelParser.Reading(body);

        using var column = ParallelParser.TryRead(ref reader);

        Assert.NotNull(column);
        Assert.Equal(Count, column.Length);
        Assert.Equal(0.5, column.Span[Count - 7]);
        Assert.Equal(JsonTokenType.EndArray, reader.TokenType);
        Assert.True(reader.Read());
        Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
    }

    [Theory]
    [InlineData("01")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("+1")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("--1")]
    [InlineData("1-2")]
    [InlineData("-")]
    [InlineData("0.5 0.5")]
    [InlineData("0.5,,0.5")]
    [InlineData("0.5,")]
    public void A_bad_element_is_refused_with_the_index_the_reader_gives(string bad)
    {
        var body = BodyWith(bad);

        var parallel = Assert.ThrowsAny<JsonException>(() => ReadInParallel(body));
        var sequential = Assert.ThrowsAny<JsonException>(() => ReadPlainly(body));

        Assert.Equal(sequential.GetType(), parallel.GetType());
        Assert.Equal(sequential.Message, parallel.Message);
        Assert.Equal(NumberColumnConverter.IndexOf(sequential), NumberColumnConverter.IndexOf(parallel));
    }

    [Fact]
    public void A_number_beyond_double_range_is_read_as_the_reader_reads_it()
    {
        // The reader gives +∞ (which validation then refuses by its index); the parallel path hands the array back to it.
        var body = BodyWith("1e400");

        using var parallel = ReadInParallel(body)!;
        using var sequential = ReadPlainly(body)!;

        Assert.Equal(double.PositiveInfinity, parallel.Probabilities!.Span[Count - 7]);
        Assert.True(sequential.Probabilities!.Span.SequenceEqual(parallel.Probabilities.Span));
    }

    [Theory]
    [InlineData(""","weights":[1,]}""")]
    [InlineData(""","options":{"epsilon":"small"}}""")]
    [InlineData(""","options":{"epsilon":1e-9,"colour":"blue"}}""")]
    [InlineData(""","weights":{}}""")]
    [InlineData("""} trailing""")]
    [InlineData(""",}""")]
    public void An_error_after_a_long_array_is_the_one_the_plain_read_gives(string tail)
    {
        var body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(BodyWith("0.5"))[..^1] + tail);

        var parallel = Assert.ThrowsAny<JsonException>(() => ReadInParallel(body));
        var sequential = Assert.ThrowsAny<JsonException>(() => ReadPlainly(body));

        Assert.Equal(sequential.Message, parallel.Message);
        Assert.Equal(sequential.Path, parallel.Path);
        Assert.Equal((sequential.LineNumber, sequential.BytePositionInLine), (parallel.LineNumber, parallel.BytePositionInLine));
    }

    [Fact]
    public void Properties_after_a_long_array_are_read_as_the_plain_read_reads_them()
    {
        var weights = string.Join(',', Enumerable.Repeat("2", Count));
        var body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(BodyWith("0.5"))[..^1] + ",\"weights\":[" + weights + "],\"options\":{\"epsilon\":1e-9,\"positiveWeight\":3}}");

        using var parallel = ReadInParallel(body)!;
        using var sequential = ReadPlainly(body)!;

        Assert.Equal(1e-9, parallel.Options!.Epsilon);
        Assert.Equal(3, parallel.Options.PositiveWeight);
        Assert.True(sequential.Weights!.Span.SequenceEqual(parallel.Weights!.Span));
        Assert.True(sequential.Probabilities!.Span.SequenceEqual(parallel.Probabilities!.Span));
        Assert.True(sequential.Labels!.Span.SequenceEqual(parallel.Labels!.Span));
    }

    [Fact]
    public void Long_arrays_nested_in_objects_of_an_array_are_read_as_the_plain_read_reads_them()
    {
        // /v1/log-loss/compare: two models' long arrays inside an array of objects, a short one between them.
        var random = new Random(5);
        string Numbers(int count) => string.Join(',', Enumerable.Range(0, count).Select(_ => random.NextDouble().ToString("R", CultureInfo.InvariantCulture)));
        var body = Encoding.UTF8.GetBytes(
            $$$"""{"labels":[{{{string.Join(',', Enumerable.Repeat("1", Count))}}}],"models":[{"name":"a","probabilities":[{{{Numbers(Count)}}}]},{"name":"b","logits":[1,2],"probabilities":[{{{Numbers(Count)}}}]}],"options":{"confidenceLevel":0.9}}""");

        using var parallel = JsonBody.Deserialize(new ReadOnlySequence<byte>(body), AppJsonContext.Default.CompareRequest)!;
        using var sequential = JsonSerializer.Deserialize(body, AppJsonContext.Default.CompareRequest)!;

        Assert.Equal(0.9, parallel.Options!.ConfidenceLevel);
        Assert.Equal(2, parallel.Models!.Length);
        for (var m = 0; m < 2; m++)
        {
            Assert.Equal(sequential.Models![m].Name, parallel.Models[m].Name);
            Assert.True(sequential.Models[m].Probabilities!.Span.SequenceEqual(parallel.Models[m].Probabilities!.Span));
        }

        Assert.True(sequential.Models![1].Logits!.Span.SequenceEqual(parallel.Models[1].Logits!.Span));
    }

    [Fact]
    public void An_indented_body_is_read_as_the_plain_read_reads_it_and_one_with_a_byte_order_mark_refused_alike()
    {
        var compact = BodyWith("0.5");
        var indented = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(compact).Replace(",", ",\n    ", StringComparison.Ordinal).Replace("[", "[\n    ", StringComparison.Ordinal));
        byte[] marked = [0xEF, 0xBB, 0xBF, .. compact];

        using var parallel = ReadInParallel(indented)!;
        using var sequential = ReadPlainly(indented)!;
        var markedParallel = Assert.ThrowsAny<JsonException>(() => ReadInParallel(marked));
        var markedSequential = Assert.ThrowsAny<JsonException>(() => ReadPlainly(marked));

        Assert.Equal(Count, parallel.Probabilities!.Length);
        Assert.True(sequential.Probabilities!.Span.SequenceEqual(parallel.Probabilities.Span));
        Assert.True(sequential.Labels!.Span.SequenceEqual(parallel.Labels!.Span));
        Assert.Equal(markedSequential.Message, markedParallel.Message);
    }

    [Fact]
    public void Every_request_type_binds_through_its_constructors_and_a_settable_property_does_not()
    {
        Assert.True(ParallelParser.CanContinue(AppJsonContext.Default.BinaryLogLossRequest));
        Assert.True(ParallelParser.CanContinue(AppJsonContext.Default.MulticlassLogLossRequest));
        Assert.True(ParallelParser.CanContinue(AppJsonContext.Default.CalibrationRequest));
        Assert.True(ParallelParser.CanContinue(AppJsonContext.Default.CompareRequest));
        Assert.True(ParallelParser.CanContinue(AppJsonContext.Default.LogisticRegressionRequest));
        var reflection = new JsonSerializerOptions { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() };
        Assert.False(ParallelParser.CanContinue(reflection.GetTypeInfo(typeof(WithSettableColumn))));
        Assert.False(ParallelParser.CanContinue(reflection.GetTypeInfo(typeof(HoldingOne[]))));
    }

    public sealed record WithSettableColumn(NumberColumn? Labels)
    {
        public NumberColumn? Probabilities { get; init; }
    }

    public sealed record HoldingOne(WithSettableColumn Inner);

    /// <summary>The body through <see cref="JsonBody"/>, long arrays on every core.</summary>
    private static BinaryLogLossRequest? ReadInParallel(byte[] body) =>
        JsonBody.Deserialize(new ReadOnlySequence<byte>(body), AppJsonContext.Default.BinaryLogLossRequest);

    /// <summary>The body through the serializer alone: the reference.</summary>
    private static BinaryLogLossRequest? ReadPlainly(byte[] body) => JsonSerializer.Deserialize(body, AppJsonContext.Default.BinaryLogLossRequest);

    private static byte[] BodyWith(string bad)
    {
        var numbers = Enumerable.Repeat("0.12345678901234567", Count).ToArray();
        numbers[Count - 7] = bad;
        return Body(string.Join(',', numbers));
    }

    private static byte[] Body(string probabilities) =>
        Encoding.UTF8.GetBytes($$"""{"labels":[{{string.Join(',', Enumerable.Repeat("1", Count))}}],"probabilities":[{{probabilities}}]}""");
}
