using System.Text.Json;
using System.Text.Json.Serialization;
using LogLossApi.Scoring;

namespace LogLossApi.Merge;

/// <summary>
/// Reads and writes a <see cref="BinaryLogLossState"/> field by field. The serializer's own path for a record of this
/// many constructor parameters boxes every number (2.9 KB allocated and 5 µs a state); this one allocates only the
/// state. As strict as the rest of the API: every field required, exact names, no unknown or repeated field.
/// </summary>
internal sealed class BinaryLogLossStateConverter : JsonConverter<BinaryLogLossState>
{
    private static readonly byte[][] FieldNames = [.. Fields().Select(System.Text.Encoding.UTF8.GetBytes)];
    private static readonly byte[][] SumNames = ["sum"u8.ToArray(), "compensation"u8.ToArray()];
    private static readonly byte[][] DispersionNames = ["mean"u8.ToArray(), "weight"u8.ToArray(), "s"u8.ToArray(), "t"u8.ToArray(), "q"u8.ToArray()];

    private static string[] Fields() =>
    [
        "kind", "version", "epsilon", "positiveWeight", "labelSmoothing", "predictions", "count", "positiveCount", "negativeCount", "clippedCount",
        "weightExponent", "lossExponent", "weightSum", "lossSum", "positiveTarget", "negativeTarget", "positiveCrossEntropy", "negativeLoss",
        "labelEntropy", "klDivergence", "dispersion",
    ];

    private static readonly string[] FieldList = Fields();

    public override BinaryLogLossState Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject, "A state must be a JSON object.");
        var seen = 0;
        string? kind = null, predictions = null;
        int version = 0, weightExponent = 0, lossExponent = 0;
        double epsilon = 0, positiveWeight = 0, labelSmoothing = 0;
        long count = 0, positiveCount = 0, negativeCount = 0, clippedCount = 0;
        CompensatedValue s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        var dispersion = default(DispersionState);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = IndexOf(ref reader, FieldNames);
            if (field < 0 || (seen & (1 << field)) != 0)
            {
                throw new JsonException(field < 0
                    ? $"'{reader.GetString()}' is not a field of a binary state; the fields are {string.Join(", ", FieldList)}."
                    : $"'{FieldList[field]}' appears more than once.");
            }

            seen |= 1 << field;
            reader.Read();
            switch (field)
            {
                case 0: kind = String(ref reader); break;
                case 1: version = Int32(ref reader); break;
                case 2: epsilon = Number(ref reader); break;
                case 3: positiveWeight = Number(ref reader); break;
                case 4: labelSmoothing = Number(ref reader); break;
                case 5: predictions = String(ref reader); break;
                case 6: count = Int64(ref reader); break;
                case 7: positiveCount = Int64(ref reader); break;
                case 8: negativeCount = Int64(ref reader); break;
                case 9: clippedCount = Int64(ref reader); break;
                case 10: weightExponent = Int32(ref reader); break;
                case 11: lossExponent = Int32(ref reader); break;
                case 12: s0 = ReadSum(ref reader); break;
                case 13: s1 = ReadSum(ref reader); break;
                case 14: s2 = ReadSum(ref reader); break;
                case 15: s3 = ReadSum(ref reader); break;
                case 16: s4 = ReadSum(ref reader); break;
                case 17: s5 = ReadSum(ref reader); break;
                case 18: s6 = ReadSum(ref reader); break;
                case 19: s7 = ReadSum(ref reader); break;
                default: dispersion = ReadDispersion(ref reader); break;
            }
        }

        Expect(ref reader, JsonTokenType.EndObject, "A state must be a JSON object of fields.");
        if (seen != (1 << FieldNames.Length) - 1)
        {
            var missing = Enumerable.Range(0, FieldNames.Length).First(i => (seen & (1 << i)) == 0);
            throw new JsonException($"Required: '{FieldList[missing]}'; a state is the \"state\" of a response made with includeState, unchanged.");
        }

        return new BinaryLogLossState(
            kind!, version, epsilon, positiveWeight, labelSmoothing, predictions!, count, positiveCount, negativeCount, clippedCount,
            weightExponent, lossExponent, s0, s1, s2, s3, s4, s5, s6, s7, dispersion);
    }

    public override void Write(Utf8JsonWriter writer, BinaryLogLossState value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", value.Kind);
        writer.WriteNumber("version", value.Version);
        writer.WriteNumber("epsilon", value.Epsilon);
        writer.WriteNumber("positiveWeight", value.PositiveWeight);
        writer.WriteNumber("labelSmoothing", value.LabelSmoothing);
        writer.WriteString("predictions", value.Predictions);
        writer.WriteNumber("count", value.Count);
        writer.WriteNumber("positiveCount", value.PositiveCount);
        writer.WriteNumber("negativeCount", value.NegativeCount);
        writer.WriteNumber("clippedCount", value.ClippedCount);
        writer.WriteNumber("weightExponent", value.WeightExponent);
        writer.WriteNumber("lossExponent", value.LossExponent);
        CompensatedValue[] sums = [value.WeightSum, value.LossSum, value.PositiveTarget, value.NegativeTarget, value.PositiveCrossEntropy, value.NegativeLoss, value.LabelEntropy, value.KlDivergence];
        for (var i = 0; i < sums.Length; i++)
        {
            writer.WriteStartObject(FieldList[12 + i]);
            writer.WriteNumber("sum", sums[i].Sum + 0.0);
            writer.WriteNumber("compensation", sums[i].Compensation + 0.0);
            writer.WriteEndObject();
        }

        var d = value.Dispersion;
        writer.WriteStartObject("dispersion");
        writer.WriteNumber("mean", d.Mean + 0.0);
        writer.WriteNumber("weight", d.Weight + 0.0);
        writer.WriteNumber("s", d.S + 0.0);
        writer.WriteNumber("t", d.T + 0.0);
        writer.WriteNumber("q", d.Q + 0.0);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static CompensatedValue ReadSum(ref Utf8JsonReader reader)
    {
        Span<double> parts = stackalloc double[2];
        ReadObject(ref reader, SumNames, parts, "sum, compensation");
        return new CompensatedValue(parts[0], parts[1]);
    }

    private static DispersionState ReadDispersion(ref Utf8JsonReader reader)
    {
        Span<double> parts = stackalloc double[5];
        ReadObject(ref reader, DispersionNames, parts, "mean, weight, s, t, q");
        return new DispersionState(parts[0], parts[1], parts[2], parts[3], parts[4]);
    }

    /// <summary>An object of exactly the numeric fields <paramref name="names"/>, each once, into <paramref name="values"/>.</summary>
    private static void ReadObject(ref Utf8JsonReader reader, byte[][] names, scoped Span<double> values, string list)
    {
        Expect(ref reader, JsonTokenType.StartObject, $"Must be an object of {list}.");
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = IndexOf(ref reader, names);
            if (field < 0 || (seen & (1 << field)) != 0)
            {
                throw new JsonException($"Must be an object of {list}, each once.");
            }

            seen |= 1 << field;
            reader.Read();
            values[field] = Number(ref reader);
        }

        Expect(ref reader, JsonTokenType.EndObject, $"Must be an object of {list}.");
        if (seen != (1 << names.Length) - 1)
        {
            throw new JsonException($"Must be an object of {list}: every one is required.");
        }
    }

    /// <summary>Which of <paramref name="names"/> the current property name is, compared as UTF-8 without a string; −1 for none.</summary>
    internal static int IndexOf(ref Utf8JsonReader reader, byte[][] names)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (reader.ValueTextEquals(names[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static double Number(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number ? reader.GetDouble() : throw new JsonException("Must be a JSON number.");

    private static int Int32(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) ? value : throw new JsonException("Must be a whole number within ±2147483647.");

    private static long Int64(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : throw new JsonException("Must be a whole number within ±9223372036854775807.");

    private static string String(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException("Must be a JSON string.");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token, string message)
    {
        if (reader.TokenType != token)
        {
            throw new JsonException(message);
        }
    }
}
