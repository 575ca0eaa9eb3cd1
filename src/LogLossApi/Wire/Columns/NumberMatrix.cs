using System.Text.Json;
using System.Text.Json.Serialization;

namespace LogLossApi.Wire.Columns;

/// <summary>
/// An N × C matrix from a JSON array of N arrays of C numbers, held as one contiguous row-major
/// <see cref="NumberColumn"/> (never N arrays). Every row must be as long as the first: a ragged row fails with the
/// row's index, keyed "name[i]". A flat array of N numbers is read as N × 1 (one feature per sample).
/// </summary>
[JsonConverter(typeof(NumberMatrixConverter))]
public sealed class NumberMatrix(NumberColumn values, int rows, int columns, bool vector = false) : IDisposable
{
    /// <summary>Whether the JSON was a flat array of numbers (N × 1), and is written back as one.</summary>
    public bool IsVector { get; } = vector && columns == 1;

    public NumberColumn Values { get; } = values;

    public int Rows { get; } = rows;

    public int Columns { get; } = columns;

    public ReadOnlySpan<double> Row(int row) => Values.Span.Slice(row * Columns, Columns);

    public void Dispose() => Values.Dispose();
}

public sealed class NumberMatrixConverter : JsonConverter<NumberMatrix>
{
    public override NumberMatrix Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Must be an array of rows, each an array of numbers.");
        }

        using var builder = new NumberColumnBuilder();
        var rows = 0;
        var columns = -1;
        var vector = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (rows == 0 && reader.TokenType != JsonTokenType.StartArray)
            {
                vector = true;
            }

            if (vector)
            {
                builder.Add(NumberColumnConverter.ReadNumber(ref reader, rows++));
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw NumberColumnConverter.ItemError(rows, "Must be an array of numbers (one row), as the first element is.");
            }

            var start = builder.Count;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                builder.Add(NumberColumnConverter.ReadNumber(ref reader, rows, builder.Count - start));
            }

            var width = builder.Count - start;
            if (columns >= 0 && width != columns)
            {
                throw NumberColumnConverter.ItemError(rows, $"Has {width} values; every row must have {columns}, as the first does.");
            }

            columns = width;
            rows++;
        }

        return new NumberMatrix(builder.Build(), rows, vector ? 1 : Math.Max(columns, 0), vector);
    }

    public override void Write(Utf8JsonWriter writer, NumberMatrix value, JsonSerializerOptions options)
    {
        if (value.IsVector)
        {
            NumberColumnConverter.WriteColumn(writer, value.Values);
            return;
        }

        writer.WriteStartArray();
        for (var row = 0; row < value.Rows; row++)
        {
            NumberColumnConverter.WriteArray(writer, value.Row(row));
        }

        writer.WriteEndArray();
    }
}

/// <summary>
/// On a <see cref="NumberMatrix"/> property that takes a flat array of numbers (one value per row) as well as rows of
/// numbers: its OpenAPI schema is then one of the two.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RowsOrNumbersAttribute : Attribute;
