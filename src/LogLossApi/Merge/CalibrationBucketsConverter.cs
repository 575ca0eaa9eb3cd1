using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using LogLossApi.Scoring;
using LogLossApi.Wire.Columns;

namespace LogLossApi.Merge;

/// <summary>
/// Reads and writes a calibration state's bucket columns. The serializer's own array path grows a list per column and
/// copies it (131 MB allocated for the 45 MB of 1,000 states' columns); this one reads each column into a pooled buffer
/// and allocates only the exact array. As strict as the rest of the API: every column required, exact names, none
/// unknown or repeated, numbers only.
/// </summary>
internal sealed class CalibrationBucketsConverter : JsonConverter<CalibrationBuckets>
{
    private static readonly byte[][] Names = [.. new[] { "index", "count", "weight", "positive", "forecast", "loss" }.Select(System.Text.Encoding.UTF8.GetBytes)];

    public override CalibrationBuckets Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("buckets must be an object of the columns index, count, weight, positive, forecast and loss.");
        }

        int[]? index = null;
        long[]? count = null;
        var sums = new double[4][];
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = BinaryLogLossStateConverter.IndexOf(ref reader, Names);
            if (field < 0 || (seen & (1 << field)) != 0)
            {
                throw new JsonException(field < 0
                    ? $"'{reader.GetString()}' is not a column of buckets; the columns are index, count, weight, positive, forecast and loss."
                    : "Each column of buckets appears once.");
            }

            seen |= 1 << field;
            reader.Read();
            switch (field)
            {
                case 0: index = ReadColumn(ref reader, static (ref Utf8JsonReader r) => r.TryGetInt32(out var v) ? v : throw new JsonException("index: must be whole numbers within ±2147483647.")); break;
                case 1: count = ReadColumn(ref reader, static (ref Utf8JsonReader r) => r.TryGetInt64(out var v) ? v : throw new JsonException("count: must be whole numbers.")); break;
                // The service's one number reader (csFastFloat behind JSON's grammar); beyond double's range ±∞, which the state's rules refuse by index.
                default: sums[field - 2] = ReadColumn(ref reader, static (ref Utf8JsonReader r) => NumberColumnConverter.ReadNumber(ref r, 0)); break;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || seen != (1 << Names.Length) - 1)
        {
            throw new JsonException("buckets must hold every column: index, count, weight, positive, forecast and loss.");
        }

        return new CalibrationBuckets(index!, count!, sums[0], sums[1], sums[2], sums[3]);
    }

    public override void Write(Utf8JsonWriter writer, CalibrationBuckets value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        WriteColumn(writer, "index", value.Index, static (w, v) => w.WriteNumberValue(v));
        WriteColumn(writer, "count", value.Count, static (w, v) => w.WriteNumberValue(v));
        foreach (var (name, column) in new[] { ("weight", value.Weight), ("positive", value.Positive), ("forecast", value.Forecast), ("loss", value.Loss) })
        {
            writer.WritePropertyName(name);
            NumberColumnConverter.WriteArray(writer, column);
        }

        writer.WriteEndObject();
    }

    private delegate T ReadNumber<out T>(ref Utf8JsonReader reader);

    /// <summary>A JSON array of numbers, read into a pooled buffer that grows, then copied once into an exact array.</summary>
    private static T[] ReadColumn<T>(ref Utf8JsonReader reader, ReadNumber<T> read)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Each column of buckets must be an array of numbers.");
        }

        var buffer = ArrayPool<T>.Shared.Rent(1024);
        var n = 0;
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.Number)
                {
                    throw new JsonException("Each column of buckets must be an array of numbers.");
                }

                if (n == buffer.Length)
                {
                    var grown = ArrayPool<T>.Shared.Rent(2 * n);
                    buffer.AsSpan(0, n).CopyTo(grown);
                    ArrayPool<T>.Shared.Return(buffer);
                    buffer = grown;
                }

                buffer[n++] = read(ref reader);
            }

            return buffer.AsSpan(0, n).ToArray();
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }

    private static void WriteColumn<T>(Utf8JsonWriter writer, string name, T[] values, Action<Utf8JsonWriter, T> write)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            write(writer, value);
        }

        writer.WriteEndArray();
    }
}
