using System.Buffers;
using System.Text.Json;
using LogLossApi.Wire.Columns;

namespace LogLossApi.Tests;

/// <summary>The shared JSON writer for long columns gives exactly the bytes of the one-core writer.</summary>
public sealed class ParallelFormatterTests
{
    public static TheoryData<int> Lengths() => new(ParallelFormatter.MinLength, ParallelFormatter.MinLength + 1, 150_001, 1_000_003);

    [Theory]
    [MemberData(nameof(Lengths))]
    public void A_long_column_is_written_byte_for_byte_as_one_writer_writes_it(int length)
    {
        // The awkward values: the longest shortest-round-trip forms, subnormals, extremes, integers, negative zero.
        double[] awkward = [-2.2250738585072014E-308, double.Epsilon, double.MaxValue, -double.MaxValue, 0.1, 1, 0, -0.0, 123456789012345680, 1e-7];
        var random = new Random(length);
        var values = new double[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = i % 7 == 0 ? awkward[i / 7 % awkward.Length] : -Math.Log(random.NextDouble());
        }

        using var column = NumberColumn.Of(values);

        var parallel = Written(writer => ParallelFormatter.Write(writer, column));
        var sequential = Written(writer => NumberColumnConverter.WriteArray(writer, values));

        Assert.Equal(sequential.Length, parallel.Length);
        Assert.True(sequential.AsSpan().SequenceEqual(parallel), "The parallel writer's bytes differ from the one-core writer's.");
        using var document = JsonDocument.Parse(parallel);
        Assert.Equal(length, document.RootElement.GetProperty("losses").GetArrayLength());
    }

    /// <summary>The column as the middle property of an object, so the separators around it are checked too.</summary>
    private static byte[] Written(Action<Utf8JsonWriter> column)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteNumber("count", 1);
            writer.WritePropertyName("losses");
            column(writer);
            writer.WriteString("unit", "nats");
            writer.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }
}
