using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;

namespace LogLossApi.Tests;

/// <summary>POST /v1/log-loss/chart through HTTP: SVG and PNG for every kind, and the errors.</summary>
public sealed class ChartEndpointTests(LogLossApiFactory factory) : IClassFixture<LogLossApiFactory>
{
    private const string Path = "/v1/log-loss/chart";
    private const string Small = """{"labels":[1,0,1,1,0],"probabilities":[0.9,0.3,0.6,0.2,0.55]}""";

    [Theory]
    [InlineData("probabilities", "on one baseline")]
    [InlineData("losses", "mean, the log loss, is 0.")]
    [InlineData("reliability", "miscalibration")]
    [InlineData("lossbars", "their mean, the log loss: 0.")]
    [InlineData("labels", "q(0) = 0.40")]
    [InlineData("sidebyside", "The 5 bars taken off the x axis and set side by side, points, in input order")]
    public async Task Every_kind_is_a_scalable_800_by_500_svg_that_says_what_it_shows(string kind, string said)
    {
        var (status, type, body) = await Post($"{Path}?kind={kind}", Small, accept: null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("image/svg+xml", type);
        var svg = XDocument.Parse(Encoding.UTF8.GetString(body)).Root!;
        Assert.Equal("800", svg.Attribute("width")!.Value);
        Assert.Equal("500", svg.Attribute("height")!.Value);
        Assert.Equal("0 0 800 500", svg.Attribute("viewBox")!.Value);
        Assert.Equal("img", svg.Attribute("role")!.Value);
        Assert.Contains(said, svg.Attribute("aria-label")!.Value, StringComparison.Ordinal);
        Assert.Equal(svg.Attribute("aria-label")!.Value, svg.Elements().First(e => e.Name.LocalName == "title").Value);
        Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "text" && e.Value.Length > 0);
    }

    [Fact]
    public async Task The_probabilities_chart_has_one_bar_per_point_in_the_class_colours()
    {
        var (_, _, body) = await Post(Path, Small, accept: "image/svg+xml");

        var fills = XDocument.Parse(Encoding.UTF8.GetString(body)).Descendants().Select(e => e.Attribute("fill")?.Value?.ToUpperInvariant()).ToList();
        // Each colour also fills its legend swatch once.
        Assert.Equal(3 + 1, fills.Count(f => f == "#2CA02C"));
        Assert.Equal(2 + 1, fills.Count(f => f == "#D62728"));
    }

    [Fact]
    public async Task The_losses_chart_prints_the_mean_loss_and_the_unit()
    {
        var (_, _, body) = await Post($"{Path}?kind=losses", """{"labels":[1,0,1,1,0],"probabilities":[0.9,0.3,0.6,0.2,0.55],"options":{"unit":"bits"}}""", accept: null);

        var texts = XDocument.Parse(Encoding.UTF8.GetString(body)).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).ToList();
        Assert.Contains(texts, t => t.StartsWith("Mean loss 0.", StringComparison.Ordinal) && t.EndsWith("bits", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("(bits)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_png_starts_with_the_signature_and_has_the_requested_size()
    {
        var (status, type, body) = await Post($"{Path}?kind=reliability", Small, accept: "image/png");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("image/png", type);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, body[..8]);
        Assert.Equal(800, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(16, 4)));
        Assert.Equal(500, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(20, 4)));
    }

    [Fact]
    public async Task Large_inputs_draw_a_sample_of_five_thousand_and_say_so()
    {
        var labels = string.Join(',', Enumerable.Range(0, 6000).Select(i => i % 2));
        var probabilities = string.Join(',', Enumerable.Range(0, 6000).Select(i => (0.1 + (0.8 * (i % 7) / 7.0)).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));

        var (status, _, body) = await Post(Path, $$"""{"labels":[{{labels}}],"probabilities":[{{probabilities}}]}""", accept: null);

        Assert.Equal(HttpStatusCode.OK, status);
        var svg = XDocument.Parse(Encoding.UTF8.GetString(body));
        Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "text" && e.Value.Contains("5,000 of 6,000", StringComparison.Ordinal));
        Assert.Equal(5000 + 2, svg.Descendants().Count(e => e.Attribute("fill")?.Value is "#2CA02C" or "#D62728" or "#2ca02c" or "#d62728"));
    }

    [Fact]
    public async Task A_csv_body_draws_the_same_chart()
    {
        using var content = new ByteArrayContent("label,probability\n1,0.9\n0,0.3\n"u8.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");

        var response = await factory.CreateClient().PostAsync($"{Path}?kind=losses", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task Errors_are_those_of_log_loss_plus_kind_and_accept(string environment)
    {
        var client = Factories.For(environment).CreateClient();

        var bad = await Http.PostJson(client, Path, """{"labels":[0,1],"probabilities":[0.2,1.5]}""");
        var kind = await Http.PostJson(client, $"{Path}?kind=pie", Small);
        var soft = await Http.PostJson(client, $"{Path}?kind=reliability", """{"labels":[0,0.5],"probabilities":[0.2,0.5]}""");
        using var message = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new StringContent(Small, Encoding.UTF8, "application/json") };
        message.Headers.Accept.ParseAdd("application/json");
        var notAcceptable = await client.SendAsync(message);

        Assert.True(Http.AssertProblem(HttpStatusCode.BadRequest, bad.Status, bad.ContentType, bad.Body)["errors"]!.AsObject().ContainsKey("probabilities[1]"));
        var kindErrors = Http.AssertProblem(HttpStatusCode.BadRequest, kind.Status, kind.ContentType, kind.Body)["errors"]!["kind"]![0]!.GetValue<string>();
        Assert.Contains("probabilities, losses, reliability, lossbars, labels, sidebyside", kindErrors, StringComparison.Ordinal);
        Assert.True(Http.AssertProblem(HttpStatusCode.BadRequest, soft.Status, soft.ContentType, soft.Body)["errors"]!.AsObject().ContainsKey("labels[1]"));
        Http.AssertProblem(HttpStatusCode.NotAcceptable, notAcceptable.StatusCode, notAcceptable.Content.Headers.ContentType?.MediaType, System.Text.Json.Nodes.JsonNode.Parse(await notAcceptable.Content.ReadAsStringAsync()));
    }

    private async Task<(HttpStatusCode Status, string? Type, byte[] Body)> Post(string path, string json, string? accept)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (accept is not null)
        {
            message.Headers.Accept.ParseAdd(accept);
        }

        var response = await factory.CreateClient().SendAsync(message);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsByteArrayAsync());
    }
}
