using System.Reflection;
using System.Text.Json.Nodes;
using LogLossApi.Wire.Input.Tabular;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LogLossApi.Hosting;

/// <summary>A request type that can also be sent as <c>text/csv</c>, with its example as CSV for Swagger UI to pre-fill.</summary>
public interface ICsvRequestExample
{
    static abstract string CsvRequestExample { get; }
}

/// <summary>A query parameter an endpoint reads for every body, with the values it takes and its default (the chart's kind).</summary>
public sealed record QueryEnumMetadata(string Name, IReadOnlyList<string> Values, string Default);

/// <summary>
/// What Swagger UI needs to send a CSV or Arrow body: the CSV body as text with the request's CSV example (not the JSON
/// skeleton), the Arrow body as binary, and every option of the JSON body's <c>options</c> as a query parameter with
/// that option's schema and description; and a query parameter read for every body as an enum with its default.
/// </summary>
internal sealed class TabularOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        foreach (var query in metadata.OfType<QueryEnumMetadata>())
        {
            if (operation.Parameters?.FirstOrDefault(p => p.Name == query.Name) is OpenApiParameter parameter)
            {
                parameter.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = [.. query.Values.Select(v => (JsonNode)JsonValue.Create(v))],
                    Default = JsonValue.Create(query.Default),
                };
            }
        }

        var requestType = context.ApiDescription.ParameterDescriptions.FirstOrDefault(p => p.Source.Id == "Body")?.Type;
        if (operation.RequestBody?.Content is not { } content || !content.ContainsKey(TabularReader.CsvMediaType) || requestType is null)
        {
            return;
        }

        content[TabularReader.CsvMediaType] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A header row (label, probability or logit, optionally weight), then one row per sample." },
            Example = requestType.GetProperty(nameof(ICsvRequestExample.CsvRequestExample), BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is string csv ? JsonValue.Create(csv) : null,
        };
        content[TabularReader.ArrowMediaType] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "An Arrow IPC stream with the columns label, probability or logit, and optionally weight." },
        };
        content[TabularReader.ParquetMediaType] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "A Parquet file with the columns label, probability or logit, and optionally weight (flat numeric or boolean columns)." },
        };

        var optionsType = requestType.GetProperty("Options")?.PropertyType;
        if (optionsType is null || context.SchemaGenerator.GenerateSchema(optionsType, context.SchemaRepository) is not OpenApiSchemaReference reference
            || !context.SchemaRepository.Schemas.TryGetValue(reference.Reference.Id!, out var options) || options.Properties is not { } properties)
        {
            return;
        }

        operation.Parameters ??= [];
        foreach (var (name, property) in properties)
        {
            // Without a default: Swagger UI sends a parameter's default, and beside a JSON body any query parameter is a 400.
            var schema = property is OpenApiSchemaReference { Reference.Id: { } id } && context.SchemaRepository.Schemas.TryGetValue(id, out var target) ? target : property;
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Query,
                Required = false,
                Schema = new OpenApiSchema { Type = schema.Type & ~JsonSchemaType.Null, Format = schema.Format, Enum = schema.Enum },
                Description = $"CSV, Arrow and Parquet bodies only (a JSON body sends it as options.{name}): {property.Description ?? schema.Description}",
            });
        }
    }
}
