using System.Text.Json;
using System.Text.Json.Serialization;
using LogLossApi.Scoring;

namespace LogLossApi.Merge;

/// <summary>
/// Reads a state of any kind: looks ahead for its "kind" and "version" (wherever they stand in the object), then reads
/// it as that kind's state, every field required. A state of a kind or version this service does not make is skipped
/// whole and read as an <see cref="UnreadableState"/>, so that its problem is answered keyed by its path like any other.
/// </summary>
internal sealed class LogLossStateConverter : JsonConverter<LogLossState>
{
    private static readonly BinaryLogLossStateConverter Binary = new();

    public override LogLossState? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A state must be a JSON object: the \"state\" of a response made with includeState, unchanged.");
        }

        var (kind, version) = Probe(reader);
        if (version != LogLossState.CurrentVersion || !LogLossState.IsKnownKind(kind))
        {
            reader.Skip();
            return new UnreadableState(kind, version);
        }

        var context = MergeJsonContext.Default;
        try
        {
            return kind switch
            {
                BinaryLogLossState.BinaryKind => Binary.Read(ref reader, typeof(BinaryLogLossState), options),
                MulticlassLogLossState.MulticlassKind => JsonSerializer.Deserialize(ref reader, context.MulticlassLogLossState),
                CalibrationState.CalibrationKind => JsonSerializer.Deserialize(ref reader, context.CalibrationState),
                _ => JsonSerializer.Deserialize(ref reader, context.ComparisonState),
            };
        }
        catch (JsonException error) when (error.Path is not null)
        {
            // A nested read reports its path from the state ("$.moments"); without one, the body's path to the state is added.
            var within = error.Path.Length > 1 ? $" (at {error.Path[2..]})" : "";
            throw new JsonException($"A {kind} state{within}: {error.Message.Split(" Path: ")[0]}");
        }
    }

    public override void Write(Utf8JsonWriter writer, LogLossState value, JsonSerializerOptions options)
    {
        var context = MergeJsonContext.Default;
        switch (value)
        {
            case BinaryLogLossState binary:
                Binary.Write(writer, binary, options);
                break;
            case MulticlassLogLossState multiclass:
                JsonSerializer.Serialize(writer, multiclass, context.MulticlassLogLossState);
                break;
            case CalibrationState calibration:
                JsonSerializer.Serialize(writer, calibration, context.CalibrationState);
                break;
            case ComparisonState comparison:
                JsonSerializer.Serialize(writer, comparison, context.ComparisonState);
                break;
            default:
                throw new NotSupportedException($"A state of kind \"{value.Kind}\" is never written: this service does not make it.");
        }
    }

    /// <summary>
    /// The object's top-level "kind" (a string) and "version" (an integer), each null when absent or of another type.
    /// The service writes both first, so for its own states the look-ahead reads two members, not the whole state.
    /// </summary>
    private static (string? Kind, int? Version) Probe(Utf8JsonReader reader)
    {
        string? kind = null;
        int? version = null;
        while ((kind is null || version is null) && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isKind = reader.ValueTextEquals("kind"u8);
            var isVersion = reader.ValueTextEquals("version"u8);
            reader.Read();
            if (isKind && reader.TokenType == JsonTokenType.String)
            {
                kind = reader.GetString();
            }
            else if (isVersion && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number))
            {
                version = number;
            }

            reader.Skip();
        }

        return (kind, version);
    }
}

/// <summary>A state of a kind or version this service does not make: read only so far as to say so, keyed by its path.</summary>
/// <param name="Kind">The kind the state named, or null.</param>
/// <param name="Declared">The version it named, or null.</param>
public sealed record UnreadableState(string? Kind, int? Declared) : LogLossState(Kind ?? "", Declared ?? 0)
{
    /// <inheritdoc/>
    public override IReadOnlyList<OptionProblem> Problems() =>
        IsKnownKind(Kind)
            ? [new("version", $"Must be version {CurrentVersion}: the only version of a {Kind} state this service reads.")]
            : [new("kind", "Must be \"binary\", \"multiclass\", \"calibration\" or \"compare\": the state of a response made with includeState, unchanged.")];

    /// <inheritdoc/>
    public override IReadOnlyList<OptionProblem> DifferencesFrom(LogLossState first) => [];
}
