using System.Text.Json;
using System.Text.Json.Serialization;
using LogLossApi.Wire.Numbers;

namespace LogLossApi.Wire.Columns;

/// <summary>
/// Reads a JSON array of numbers straight into a <see cref="NumberColumn"/> (no list, no regrown array) and writes one
/// back with <see cref="Utf8JsonWriter"/>. Strict: only number tokens that fit a finite double; anything else fails
/// with a <see cref="JsonException"/> whose <see cref="Exception.Data"/> carries the element's index under
/// <see cref="IndexKey"/> (and a matrix element's column under <see cref="ColumnKey"/>), so the error can be keyed
/// "name[i]" or "name[i][j]".
/// </summary>
public sealed class NumberColumnConverter : JsonConverter<NumberColumn>
{
    public const string IndexKey = "LogLossApi.Index";

    /// <summary>Where a failure inside a matrix row carries the element's column, keyed "name[i][j]".</summary>
    public const string ColumnKey = "LogLossApi.Column";

    /// <summary>Values converted as the reader meets them; after these, a long array's tokens are converted on other cores as the reader goes on (<see cref="NumberTokens"/>).</summary>
    internal const int InlineValues = 16 * 1024;

    public override NumberColumn Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Must be an array of numbers.");
        }

        using var builder = new NumberColumnBuilder();

        // Only an array longer than InlineValues (on more than one core) gets one: short arrays allocate nothing more.
        NumberTokens? tokens = null;
        try
        {
            var parallel = Environment.ProcessorCount > 1;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (parallel && builder.Count == InlineValues)
                {
                    tokens ??= new NumberTokens();
                    CheckNumberToken(in reader, InlineValues + tokens.Count);
                    if (!reader.HasValueSequence && NumberText.IsBeyondDouble(reader.ValueSpan))
                    {
                        ThrowBeyondDouble(InlineValues + tokens.Count, -1);
                    }

                    tokens.Add(in reader);
                    continue;
                }

                builder.Add(ReadNumber(ref reader, builder.Count));
            }

            return tokens is null ? builder.Build() : Join(builder, tokens);
        }
        finally
        {
            tokens?.Dispose();
        }
    }

    /// <summary>The values converted inline followed by the tokens' values, as one column.</summary>
    private static NumberColumn Join(NumberColumnBuilder builder, NumberTokens tokens)
    {
        var column = NumberColumn.Allocate(InlineValues + tokens.Count);
        builder.CopyTo(column.WritableSpan);
        tokens.CopyTo(column.WritableSpan[InlineValues..]);
        return column;
    }

    public override void Write(Utf8JsonWriter writer, NumberColumn value, JsonSerializerOptions options) => WriteColumn(writer, value);

    /// <summary>A column as one JSON array: on every core when it is long enough to be worth it (<see cref="ParallelFormatter"/>).</summary>
    internal static void WriteColumn(Utf8JsonWriter writer, NumberColumn value)
    {
        if (value.Length is >= ParallelFormatter.MinLength and <= ParallelFormatter.MaxLength && Environment.ProcessorCount > 1)
        {
            ParallelFormatter.Write(writer, value);
            return;
        }

        WriteArray(writer, value.Span);
    }

    /// <summary>
    /// The numbers as one JSON array, in shortest round-trip form: each finite one formatted by
    /// <see cref="ShortestDouble"/> (the writer's own bytes, faster; −0 as 0) and written raw; a value that is not a
    /// finite double (a loss beyond ±1.8e308) is <c>null</c>, as every figure of a response is.
    /// </summary>
    internal static void WriteArray(Utf8JsonWriter writer, ReadOnlySpan<double> values)
    {
        Span<byte> text = stackalloc byte[ShortestDouble.MaxLength];
        writer.WriteStartArray();
        foreach (var number in values)
        {
            if (double.IsFinite(number))
            {
                writer.WriteRawValue(text[..ShortestDouble.Format(number, text)], skipInputValidation: true);
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        writer.WriteEndArray();
    }

    /// <summary>The current token as a finite double, or a failure tagged with <paramref name="index"/> (and <paramref name="column"/>, in a matrix).</summary>
    internal static double ReadNumber(ref Utf8JsonReader reader, int index, int column = -1)
    {
        CheckNumberToken(in reader, index, column);

        // The reader has checked the grammar; csFastFloat gives the same correctly rounded value, faster. A token split
        // across segments goes to the reader. Beyond double's range both give ±∞: refused here, where the reader's
        // position is known, like any other unreadable value.
        var value = !reader.HasValueSequence && NumberText.TryParseJsonToken(reader.ValueSpan, out var parsed) ? parsed : reader.GetDouble();
        return double.IsFinite(value) ? value : ThrowBeyondDouble(index, column);
    }

    /// <summary>Nothing when the reader is on a number token; otherwise a failure tagged with <paramref name="index"/> that says what the token is.</summary>
    private static void CheckNumberToken(ref readonly Utf8JsonReader reader, int index, int column = -1)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw ItemError(index, reader.TokenType switch
            {
                JsonTokenType.String => "Must be a JSON number, not a string.",
                JsonTokenType.Null => "Must be a number, not null.",
                JsonTokenType.True or JsonTokenType.False => "Must be a number, not true or false.",
                JsonTokenType.StartArray => "Must be a number, not an array. An N × 2 matrix is scikit-learn's predict_proba: send its column 1, "
                    + "P(y = 1), as probabilities (predict_proba(X)[:, 1]); N × C matrices go to /v1/log-loss/multiclass.",
                _ => "Must be a number, not an object.",
            }, column);
        }
    }

    /// <summary>Out of the hot loops, so that they stay small enough to inline.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static double ThrowBeyondDouble(int index, int column) => throw ItemError(index, NumberText.BeyondDouble, column);

    internal static JsonException ItemError(int index, string message, int column = -1)
    {
        var error = new JsonException(message);
        error.Data[IndexKey] = index;
        if (column >= 0)
        {
            error.Data[ColumnKey] = column;
        }

        return error;
    }

    /// <summary>
    /// "[i]", or "[i][j]" in a matrix, for a failure tagged by <see cref="ItemError"/> (looking through the serializer's
    /// wrapping exceptions); empty for any other.
    /// </summary>
    public static string ElementKeyOf(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error.Data[IndexKey] is int index)
            {
                return error.Data[ColumnKey] is int column ? $"[{index}][{column}]" : $"[{index}]";
            }
        }

        return string.Empty;
    }
}
