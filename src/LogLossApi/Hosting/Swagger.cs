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

    public static IServiceCollection AddLogLossSwagger(this IServiceCollection services, IConfiguration configuration, IReadOnlyDictionary<string, string> tags)
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

            // A merge body's states are of any kind: each state's schema is one of the library's four, told apart by
            // "kind", whole (no allOf: a strict validator would refuse the derived fields under the base's
            // additionalProperties false) and every field required, as the merge reads them.
            options.UseOneOfForPolymorphism();
            options.SelectSubTypesUsing(type => type == typeof(LogLossState) ? [.. StateKinds.Keys] : []);
            options.SelectDiscriminatorNameUsing(type => type == typeof(LogLossState) ? "kind" : null);
            options.SelectDiscriminatorValueUsing(type => StateKinds.GetValueOrDefault(type));
            options.SchemaFilter<StateSchemaFilter>();
            options.DocumentFilter<StateKindsFilter>();
            options.OperationFilter<ExampleOperationFilter>();
            options.OperationFilter<TabularOperationFilter>();
            // Relative: the document is right behind any host name, port or proxy prefix the service is reached by.
            options.AddServer(new OpenApiServer { Url = "/", Description = "This service, where the document was fetched from." });
            options.DocumentFilter<TagDescriptionFilter>(tags);
            if (!apiKeys)
            {
                // Open: every operation is declared as needing nothing, rather than leaving it unsaid.
                options.AddSecurityRequirement(_ => new OpenApiSecurityRequirement());
            }
            else
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
            options.MapType<NumberMatrix>(() => Rows());
            options.SchemaFilter<RowsOrNumbersSchemaFilter>();
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

    /// <summary>Each tag the endpoints carry, described.</summary>
    private sealed class TagDescriptionFilter(IReadOnlyDictionary<string, string> descriptions) : IDocumentFilter
    {
        public void Apply(OpenApiDocument document, DocumentFilterContext context)
        {
            foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
            {
                tag.Description = descriptions.TryGetValue(tag.Name ?? "", out var description)
                    ? description
                    : throw new InvalidOperationException($"The OpenAPI tag \"{tag.Name}\" has no description: add one where the endpoints are mapped.");
            }
        }
    }

    private static OpenApiSchema Numbers() => new() { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Number, Format = "double" } };

    private static OpenApiSchema Rows() => new() { Type = JsonSchemaType.Array, Items = Numbers() };

    /// <summary>Each item of a <see cref="RowsOrNumbersAttribute"/> property is a number or a row of numbers (the service takes all of one shape).</summary>
    private sealed class RowsOrNumbersSchemaFilter : ISchemaFilter
    {
        public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
        {
            if (schema is OpenApiSchema property && context.MemberInfo?.IsDefined(typeof(RowsOrNumbersAttribute), inherit: false) == true)
            {
                // Each item a number or a row (not one of two whole arrays): a generated client can then build either.
                property.Items = new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Number, Format = "double" }, Numbers()] };
            }
        }
    }

    /// <summary>The kind each state type writes.</summary>
    private static readonly Dictionary<Type, string> StateKinds = new()
    {
        [typeof(BinaryLogLossState)] = BinaryLogLossState.BinaryKind,
        [typeof(MulticlassLogLossState)] = MulticlassLogLossState.MulticlassKind,
        [typeof(CalibrationState)] = CalibrationState.CalibrationKind,
        [typeof(ComparisonState)] = ComparisonState.CompareKind,
    };

    /// <summary>The records a state is made of, read with every field required like the state itself.</summary>
    private static readonly HashSet<Type> StateParts =
        [typeof(CompensatedValue), typeof(DispersionState), typeof(MomentsState), typeof(MulticlassClassState), typeof(ComparedModelState), typeof(CalibrationBuckets)];

    /// <summary>
    /// A state's kind and version are the one value each its type writes; every field of a state and of its parts is
    /// required, and null only where the record allows it.
    /// </summary>
    private sealed class StateSchemaFilter : ISchemaFilter
    {
        private readonly NullabilityInfoContext _nullability = new();

        public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
        {
            if (schema is not OpenApiSchema state || state.Properties is not { } properties
                || !StateKinds.ContainsKey(context.Type) && !StateParts.Contains(context.Type))
            {
                return;
            }

            state.Required = new HashSet<string>(properties.Keys);
            foreach (var property in context.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                if (properties.TryGetValue(name, out var field) && field is OpenApiSchema concrete
                    && _nullability.Create(property).ReadState == NullabilityState.NotNull)
                {
                    concrete.Type &= ~JsonSchemaType.Null;
                }
            }
        }
    }

    /// <summary>
    /// Each state's schema whole: its kind (the one value it writes) and version first, then its fields, with no
    /// allOf of the base (under additionalProperties false, a validator would refuse the base's fields in the derived
    /// schema and the derived fields in the base's); the base's discriminator moves to where states are one of the kinds.
    /// </summary>
    private sealed class StateKindsFilter : IDocumentFilter
    {
        public void Apply(OpenApiDocument document, DocumentFilterContext context)
        {
            var schemas = document.Components?.Schemas;
            var baseName = nameof(LogLossState);
            if (schemas is null || !schemas.Remove(baseName, out var removed) || removed is not OpenApiSchema baseSchema || baseSchema.Properties is not { } baseProperties)
            {
                return;
            }

            foreach (var (type, kind) in StateKinds)
            {
                if (!schemas.TryGetValue(type.Name, out var found) || found is not OpenApiSchema state)
                {
                    continue;
                }

                state.AllOf = null;
                var properties = new Dictionary<string, IOpenApiSchema>();
                foreach (var (name, property) in baseProperties)
                {
                    var single = (OpenApiSchema)property.CreateShallowCopy();
                    single.Type &= ~JsonSchemaType.Null;
                    single.Enum = [name == "kind" ? JsonValue.Create(kind) : JsonValue.Create(LogLossState.CurrentVersion)];
                    properties[name] = single;
                    state.Required?.Add(name);
                }

                foreach (var (name, property) in state.Properties ?? new Dictionary<string, IOpenApiSchema>())
                {
                    properties[name] = property;
                }

                state.Properties = properties;
            }

            foreach (var schema in Schemas(document).OfType<OpenApiSchema>().Where(s => s.OneOf?.Count == StateKinds.Count))
            {
                schema.Discriminator = baseSchema.Discriminator;
            }
        }

        /// <summary>Every schema in the components and one level into their properties' items.</summary>
        private static IEnumerable<IOpenApiSchema> Schemas(OpenApiDocument document) =>
            (document.Components?.Schemas?.Values ?? []).SelectMany(schema =>
                (schema.Properties?.Values ?? []).SelectMany(property => new[] { property, property.Items }).OfType<IOpenApiSchema>());
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

        /// <summary>
        /// The type's example as the API writes it (or as JSON already, for a body with its own serializer), without
        /// the absent options' nulls: an example validates against its schema.
        /// </summary>
        private JsonNode? Example(Type? type) =>
            type is not null
            && type.IsAssignableTo(typeof(IOpenApiExample))
            && type.GetProperty(nameof(IOpenApiExample.Example), BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is { } example
                ? WithoutNulls(example as JsonNode ?? JsonSerializer.SerializeToNode(example, type, json.Value.SerializerOptions))
                : null;

        /// <summary>
        /// A copy without null properties, each fractional number held as a double: the document writer takes a number
        /// parsed from JSON as a decimal first, which cuts 2.220446049250313E-16 to 2.22044604925E-16.
        /// </summary>
        private static JsonNode? WithoutNulls(JsonNode? node) => node switch
        {
            JsonObject properties => new JsonObject(properties.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, WithoutNulls(p.Value)))),
            JsonArray items => new JsonArray([.. items.Select(WithoutNulls)]),
            JsonValue value when value.GetValueKind() == JsonValueKind.Number && !value.TryGetValue<long>(out _) => JsonValue.Create(value.GetValue<double>()),
            _ => node?.DeepClone(),
        };

        private static void SetJsonExample(IDictionary<string, IOpenApiMediaType> content, JsonNode example)
        {
            if (content.TryGetValue("application/json", out var mediaType) && mediaType is OpenApiMediaType concrete)
            {
                concrete.Example = example;
            }
        }
    }
}
