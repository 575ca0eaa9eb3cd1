using System.Text.Json.Nodes;
using LogLossApi.Testing;

namespace LogLossApi.Tests.Clients;

/// <summary>
/// The OpenAPI document as generators and validators read it: the copy the client is generated from is the one the
/// service serves; states are whole schemas told apart by kind; servers, security and tags are declared (what Redocly's
/// recommended rules ask; clients/lint.sh runs Redocly itself in CI).
/// </summary>
public sealed class OpenApiDocumentTests
{
    private static async Task<JsonNode> Served(IReadOnlyDictionary<string, string?>? settings = null)
    {
        using var factory = new LogLossApiFactory("Production", settings ?? new Dictionary<string, string?>());
        return JsonNode.Parse(await factory.CreateClient().GetStringAsync("/swagger/v1/swagger.json"))!;
    }

    [Fact]
    public async Task The_document_the_client_is_generated_from_is_the_one_the_service_serves()
    {
        var checkedIn = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Fixtures.RepositoryRoot, "clients", "openapi.json")));

        Assert.True(JsonNode.DeepEquals(await Served(), checkedIn), "clients/openapi.json differs from the served document: run bash clients/regenerate.sh");
    }

    [Fact]
    public async Task Each_state_is_a_whole_schema_of_one_kind_with_every_field_required()
    {
        var schemas = (await Served())["components"]!["schemas"]!.AsObject();

        var items = schemas["MergeRequest"]!["properties"]!["states"]!["items"]!;
        var mapping = items["discriminator"]!["mapping"]!.AsObject();
        Assert.Equal("kind", items["discriminator"]!["propertyName"]!.GetValue<string>());
        Assert.Equal(["binary", "calibration", "compare", "multiclass"], mapping.Select(m => m.Key).Order(StringComparer.Ordinal));
        Assert.False(schemas.ContainsKey("LogLossState"));
        foreach (var (kind, reference) in mapping)
        {
            var state = schemas[reference!.GetValue<string>().Split('/')[^1]]!;
            Assert.Null(state["allOf"]);
            Assert.False(state["additionalProperties"]!.GetValue<bool>());
            var properties = state["properties"]!.AsObject();
            Assert.Equal(["kind", "version"], properties.Take(2).Select(p => p.Key));
            Assert.Equal(kind, properties["kind"]!["enum"]!.AsArray().Single()!.GetValue<string>());
            Assert.Equal(1, properties["version"]!["enum"]!.AsArray().Single()!.GetValue<int>());
            Assert.Equal(properties.Select(p => p.Key).Order(StringComparer.Ordinal), state["required"]!.AsArray().Select(r => r!.GetValue<string>()).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Servers_tags_and_security_are_declared_open_without_keys_and_required_with_them()
    {
        var open = await Served();
        var keyed = await Served(new Dictionary<string, string?> { ["Auth:ApiKeys:0"] = "a-key-of-at-least-16-characters" });

        Assert.Equal("/", open["servers"]![0]!["url"]!.GetValue<string>());
        Assert.All(open["tags"]!.AsArray(), tag => Assert.False(string.IsNullOrWhiteSpace(tag!["description"]?.GetValue<string>())));
        Assert.Equal("[{}]", open["security"]!.ToJsonString());
        Assert.Null(open["components"]!["securitySchemes"]);
        Assert.Equal("""[{"ApiKey":[]}]""", keyed["security"]!.ToJsonString());
        Assert.Equal("X-Api-Key", keyed["components"]!["securitySchemes"]!["ApiKey"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Examples_carry_no_nulls_and_every_digit_of_their_numbers()
    {
        var document = await Served();
        var merge = document["paths"]!["/v1/log-loss/merge"]!["post"]!["requestBody"]!["content"]!["application/json"]!["example"]!;

        var examples = document["paths"]!.AsObject().SelectMany(path => path.Value!["post"]!["requestBody"]!["content"]!.AsObject().Select(c => c.Value!["example"]));
        Assert.All(examples.OfType<JsonObject>(), example => Assert.DoesNotContain(":null", example.ToJsonString(), StringComparison.Ordinal));
        Assert.Equal(Math.Pow(2, -52), merge["states"]![0]!["epsilon"]!.GetValue<double>());
        Assert.Equal("binary", merge["states"]![1]!["kind"]!.GetValue<string>());
    }
}
