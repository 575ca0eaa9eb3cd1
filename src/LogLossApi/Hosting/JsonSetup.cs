using System.Text.Json;
using System.Text.Json.Serialization;
using LogLossApi.Scoring;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;

namespace LogLossApi.Hosting;

/// <summary>Source-generated metadata of the host's own bodies (health).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HealthResponse))]
internal sealed partial class HostingJsonContext : JsonSerializerContext;

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
/// serializer's own strict number reading, and a number beyond double's range (1e400) is refused where it stands.
/// </summary>
internal sealed class FigureJsonConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDouble() is var value && double.IsFinite(value) ? value : throw new JsonException(Wire.Numbers.NumberText.BeyondDouble);

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
    /// unknown and duplicate properties rejected, depth at most 64; with the features' source-generated metadata
    /// (each feature owns its <see cref="JsonSerializerContext"/>; the host only combines them).
    /// </summary>
    public static IServiceCollection AddLogLossJson(this IServiceCollection services, IReadOnlyList<IJsonTypeInfoResolver> features) =>
        services.Configure<JsonOptions>(options => Apply(options.SerializerOptions, features));

    public static void Apply(JsonSerializerOptions options, IReadOnlyList<IJsonTypeInfoResolver> features)
    {
        options.TypeInfoResolverChain.Insert(0, JsonTypeInfoResolver.Combine([HostingJsonContext.Default, .. features]));
        options.NumberHandling = JsonNumberHandling.Strict;
        options.PropertyNameCaseInsensitive = false;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        options.MaxDepth = 64;
        options.Converters.Add(new LossUnitJsonConverter());
        options.Converters.Add(new FigureJsonConverter());
    }
}
