using System.Text.Json;
using System.Text.Json.Serialization;
using LogLossApi.BinaryLogLoss;
using LogLossApi.Calibration;
using LogLossApi.Comparison;
using LogLossApi.Regression;
using LogLossApi.MulticlassLogLoss;
using LogLossApi.Scoring;
using Microsoft.AspNetCore.Http.Json;

namespace LogLossApi.Infrastructure;

/// <summary>Source-generated metadata for every request and response of the API.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    NumberHandling = JsonNumberHandling.Strict,
    PropertyNameCaseInsensitive = false,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    Converters = [typeof(LossUnitJsonConverter), typeof(FigureJsonConverter)])]
[JsonSerializable(typeof(BinaryLogLossRequest))]
[JsonSerializable(typeof(BinaryLogLossResponse))]
[JsonSerializable(typeof(MulticlassLogLossRequest))]
[JsonSerializable(typeof(MulticlassLogLossResponse))]
[JsonSerializable(typeof(CalibrationRequest))]
[JsonSerializable(typeof(CalibrationResponse))]
[JsonSerializable(typeof(CompareRequest))]
[JsonSerializable(typeof(CompareResponse))]
[JsonSerializable(typeof(LogisticRegressionRequest))]
[JsonSerializable(typeof(LogisticRegressionResponse))]
[JsonSerializable(typeof(HealthResponse))]
internal sealed partial class AppJsonContext : JsonSerializerContext;

/// <summary>Reads and writes <see cref="LossUnit"/> as "nats" or "bits", and says so when given anything else.</summary>
internal sealed class LossUnitJsonConverter : JsonConverter<LossUnit>
{
    public override LossUnit Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("nats"u8) ? LossUnit.Nats
        : reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("bits"u8) ? LossUnit.Bits
        : throw new JsonException("The unit must be \"nats\" or \"bits\".");

    public override void Write(Utf8JsonWriter writer, LossUnit value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value == LossUnit.Bits ? "bits" : "nats");
}

/// <summary>
/// Every double of every response as the contract writes figures: a value that is not a finite double (a perplexity
/// e^CE with CE above 709.78 nats, a sum beyond ±1.8e308) is <c>null</c>, and −0 is written 0. Reading is the
/// serializer's own strict number reading.
/// </summary>
internal sealed class FigureJsonConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value))
        {
            // −0 + 0 is +0; every other value is unchanged.
            writer.WriteNumberValue(value + 0.0);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

internal static class JsonSetup
{
    /// <summary>
    /// Strict JSON for the contract: numbers only as numbers (no "NaN" or "0.5" strings), exact camelCase names,
    /// unknown and duplicate properties rejected, depth at most 64.
    /// </summary>
    public static IServiceCollection AddLogLossJson(this IServiceCollection services) =>
        services.Configure<JsonOptions>(options => Apply(options.SerializerOptions));

    public static void Apply(JsonSerializerOptions options)
    {
        options.TypeInfoResolverChain.Insert(0, AppJsonContext.Default);
        options.NumberHandling = JsonNumberHandling.Strict;
        options.PropertyNameCaseInsensitive = false;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        options.MaxDepth = 64;
        options.Converters.Add(new LossUnitJsonConverter());
        options.Converters.Add(new FigureJsonConverter());
    }
}
