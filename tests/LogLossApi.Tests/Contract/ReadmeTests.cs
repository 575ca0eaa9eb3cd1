using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LogLossApi.Testing;

namespace LogLossApi.Tests;

/// <summary>The README's worked example is the service's own output, so the two cannot drift apart.</summary>
public sealed partial class ReadmeTests(LogLossApiFactory factory) : IClassFixture<LogLossApiFactory>
{
    [GeneratedRegex(@"## The seed example\s+```bash\n.*?-d '(?<request>\{.*?\})'\n```\s+```json\n(?<response>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex SeedExample();

    [Fact]
    public async Task The_readmes_seed_example_is_exactly_what_the_service_answers()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Fixtures.RepositoryRoot, "README.md"));
        var example = SeedExample().Match(readme);
        Assert.True(example.Success, "README.md has a '## The seed example' section with a curl -d '…' block and a json block");

        var (status, _, body, _) = await Http.PostJson(factory.CreateClient(), "/v1/log-loss", example.Groups["request"].Value);

        Assert.Equal(HttpStatusCode.OK, status);
        var documented = JsonNode.Parse(example.Groups["response"].Value);
        Assert.True(JsonNode.DeepEquals(documented, body), $"README.md shows\n{documented}\nbut the service answers\n{body}");
    }
}
