using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using LogLossApi.Scoring;
using LogLossApi.Wire.Columns;
using LogLossApi.Wire.Input.Tabular;
using LogLossApi.Wire.Limits;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LogLossApi.Hosting;

/// <summary>A request or response type with an example that Swagger UI shows (and pre-fills for "Try it out").</summary>
public interface IOpenApiExample
{
    static abstract object Example { get; }
}

/// <summary>A response type that can also be answered as <c>text/csv</c>, with the first rows of its example as CSV.</summary>
public interface ICsvOpenApiExample
{
    static abstract string CsvExample { get; }
}

internal static class Swagger
{
    public const string DocumentName = "v1";

    private const string Description = """
        Scores probabilistic predictions with cross-entropy (log loss) and explains the number: the mean loss,
        per-sample losses, and the entropy / cross-entropy / KL divergence breakdown behind it.

        Every error is `application/problem+json` (RFC 9457) with `type`, `title`, `status`, `detail` and `traceId`
        (the id that the service's logs carry). Validation errors list `errors` keyed by JSON path
        (`probabilities[3]`, `options.epsilon`): at most 20 keys, then `"…": ["and N more"]`. Unknown or duplicate
        properties, numbers sent as strings, NaN/Infinity and values outside double range are rejected, never ignored.
        """;

    public static IServiceCollection AddLogLossSwagger(this IServiceCollection services, IConfiguration configuration)
    {
        var apiKeys = configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>()?.Enabled == true;
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "LogLossApi",
                Version = "v1",
                Description = Description,
            });
            options.IncludeXmlComments(Assembly.GetExecutingAssembly());
            options.IncludeXmlComments(typeof(LogLossState).Assembly);

            // A merge body's states are of any kind: each state's schema is one of the library's four, every field described.
            options.UseOneOfForPolymorphism();
            options.UseAllOfForInheritance();
            options.SelectSubTypesUsing(type => type == typeof(LogLossState)
                ? [typeof(BinaryLogLossState), typeof(MulticlassLogLossState), typeof(CalibrationState), typeof(ComparisonState)]
                : []);
            options.OperationFilter<ExampleOperationFilter>();
            options.OperationFilter<TabularOperationFilter>();
            if (apiKeys)
            {
                // Swagger UI's "Authorize" button then sends the key with every "Try it out".
                options.AddSecurityDefinition(ApiKeyAuthenticationHandler.SchemeName, new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthenticationHandler.HeaderName,
                    Description = "One of the keys configured in Auth:ApiKeys.",
                });
                options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, document)] = [],
                });
            }
            options.MapType<LossUnit>(() => new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [JsonValue.Create("nats"), JsonValue.Create("bits")],
                Default = JsonValue.Create("nats"),
            });
            options.MapType<NumberColumn>(() => new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema { Type = JsonSchemaType.Number, Format = "double" },
            });
            options.MapType<NumberMatrix>(() => new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Number, Format = "double" } },
            });
        });
        return services;
    }

    public static WebApplication UseLogLossSwagger(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<FeaturesOptions>>().Value.SwaggerUi)
        {
            app.UseSwagger();
            app.UseSwaggerUI(options =>
            {
                options.SwaggerEndpoint($"/swagger/{DocumentName}/swagger.json", "LogLossApi v1");
                options.DocumentTitle = "LogLossApi";
                options.EnableTryItOutByDefault();
            });
        }

        return app;
    }

    /// <summary>
    /// Puts each body type's <see cref="IOpenApiExample.Example"/>, serialized exactly as the API serializes it, on the
    /// operation's JSON request body and 200 response, so Swagger UI pre-fills "Try it out" with it.
    /// </summary>
    private sealed class ExampleOperationFilter(IOptions<JsonOptions> json) : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var requestType = context.ApiDescription.ParameterDescriptions.FirstOrDefault(p => p.Source.Id == "Body")?.Type;
            if (operation.RequestBody?.Content is { } requestContent && Example(requestType) is { } requestExample)
            {
                SetJsonExample(requestContent, requestExample);
            }

            var responseType = context.ApiDescription.SupportedResponseTypes.FirstOrDefault(r => r.StatusCode == StatusCodes.Status200OK)?.Type;
            if (operation.Responses?.TryGetValue("200", out var response) != true || response!.Content is not { } responseContent)
            {
                return;
            }

            if (Example(responseType) is { } responseExample)
            {
                SetJsonExample(responseContent, responseExample);
            }

            // A CSV rendering of a response is text with a header row, not the JSON schema of the response type.
            if (responseContent.TryGetValue(TabularReader.CsvMediaType, out var csv) && csv is OpenApiMediaType csvMediaType)
            {
                csvMediaType.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "One row per sample after a header row: index,label,probability,loss (logit in place of probability for logits).",
                };
                csvMediaType.Example = responseType?.GetProperty(nameof(ICsvOpenApiExample.CsvExample), BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is string example
                    ? JsonValue.Create(example)
                    : null;
            }
        }

        private JsonNode? Example(Type? type) =>
            type is not null
            && type.IsAssignableTo(typeof(IOpenApiExample))
            && type.GetProperty(nameof(IOpenApiExample.Example), BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is { } example
                ? JsonSerializer.SerializeToNode(example, type, json.Value.SerializerOptions)
                : null;

        private static void SetJsonExample(IDictionary<string, IOpenApiMediaType> content, JsonNode example)
        {
            if (content.TryGetValue("application/json", out var mediaType) && mediaType is OpenApiMediaType concrete)
            {
                concrete.Example = example;
            }
        }
    }
}
