using System.Text.Json;
using System.Text.Json.Serialization;
using LogLossApi.Hosting;
using LogLossApi.Scoring;

namespace LogLossApi.Merge;

/// <summary>
/// This feature's source-generated JSON metadata, under the API's strict rules (the options <see cref="JsonSetup.Apply"/>
/// sets at run time); a state's every field is required (RespectRequiredConstructorParameters).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNameCaseInsensitive = false, NumberHandling = JsonNumberHandling.Strict, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, AllowDuplicateProperties = false, RespectRequiredConstructorParameters = true, Converters = [typeof(LossUnitJsonConverter), typeof(FigureJsonConverter), typeof(BinaryLogLossStateConverter), typeof(LogLossStateConverter), typeof(CalibrationBucketsConverter)])]
[JsonSerializable(typeof(MergeRequest))]
[JsonSerializable(typeof(MulticlassLogLossState))]
[JsonSerializable(typeof(CalibrationState))]
[JsonSerializable(typeof(ComparisonState))]
internal sealed partial class MergeJsonContext : JsonSerializerContext;
