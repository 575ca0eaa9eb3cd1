using System.Buffers;
using System.Text.Json;

namespace LogLossApi.Benchmarks;

/// <summary>
/// The least the platform can do with a body: a hand <see cref="Utf8JsonReader"/> loop into preallocated arrays; and
/// with the losses: one <see cref="Utf8JsonWriter"/> writing them with its own number formatting.
/// </summary>
public static class JsonFloor
{
    /// <summary>Reads every number of "labels" into <paramref name="labels"/> and of the other array into <paramref name="probabilities"/>.</summary>
    public static int Parse(ReadOnlySpan<byte> json, double[] labels, double[] probabilities)
    {
        var reader = new Utf8JsonReader(json);
        double[]? target = null;
        var n = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    target = reader.ValueTextEquals("labels"u8) ? labels : probabilities;
                    n = 0;
                    break;
                case JsonTokenType.Number:
                    target![n++] = reader.GetDouble();
                    break;
            }
        }

        return n;
    }

    /// <summary>Writes <paramref name="values"/> as one JSON array with <see cref="Utf8JsonWriter.WriteNumberValue(double)"/>; returns the bytes written.</summary>
    public static int Write(ArrayBufferWriter<byte> output, ReadOnlySpan<double> values)
    {
        output.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartArray();
        foreach (var value in values)
        {
            writer.WriteNumberValue(value);
        }

        writer.WriteEndArray();
        writer.Flush();
        return output.WrittenCount;
    }
}
