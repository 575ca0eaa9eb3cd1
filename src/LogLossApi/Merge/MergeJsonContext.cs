using System.Text.Json;
using System.Text.Json.Serialization;
using LogLossApi.Hosting;

namespace LogLossApi.Merge;

/// <summary>This feature's source-generated JSON metadata, under the API's strict rules (the options <see cref="JsonSetup.Apply"/> sets at run time).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNameCaseInsensitive = false, NumberHandling = JsonNumberHandling.Strict, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, AllowDuplicateProperties = false, Converters = [typeof(LossUnitJsonConverter), typeof(FigureJsonConverter), typeof(BinaryLogLossStateConverter)])]
[JsonSerializable(typeof(MergeRequest))]
internal sealed partial class MergeJsonContext : JsonSerializerContext;
