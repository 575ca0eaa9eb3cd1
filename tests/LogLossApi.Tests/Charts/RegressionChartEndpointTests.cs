using System.Net;
using System.Text;
using System.Xml.Linq;

namespace LogLossApi.Tests.Charts;

/// <summary>POST /v1/logistic-regression/chart through HTTP: the article's Figures 0–7 for x and labels, and the errors.</summary>
public sealed class RegressionChartEndpointTests(LogLossApiFactory factory) : IClassFixture<LogLossApiFactory>
{
    private const string Path = "/v1/logistic-regression/chart";
    private const string Article = """{"x":[-2.2,-1.4,-0.8,0.2,0.4,0.8,1.2,2.2,2.9,4.6],"y":[0,0,1,0,1,1,1,1,1,1]}""";

    [Theory]
    [InlineData("points", "10 points on a line", 0, 0)]
    [InlineData("classes", "7 positives (y = 1) in green, 3 negatives", 0, 0)]
    [InlineData("split", "7 positives at y = 1 above, 3 negatives", 0, 0)]
    [InlineData("fit", "σ(0.9719 x + 0.6555)", 0, 0)]
    [InlineData("positivebars", "each of the 7 positives", 7, 0)]
    [InlineData("negativebars", "each of the 3 negatives", 0, 3)]
    [InlineData("bars", "the 7 positives and red bars above it for the 3 negatives", 7, 3)]
    [InlineData("sidebyside", "The 10 bars", 7, 3)]
    public async Task Every_figure_of_the_article_is_drawn_with_its_bars_and_says_what_it_shows(string kind, string said, int green, int red)
    {
        var (status, type, svg) = await Post($"{Path}?kind={kind}", Article);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("image/svg+xml", type);
        Assert.Equal("0 0 800 500", svg.Attribute("viewBox")!.Value);
        Assert.Contains(said, svg.Attribute("aria-label")!.Value, StringComparison.Ordinal);
        // Bars are filled rectangles in the class colours (at 75 % opacity under the curve); the legend swatches are not.
        var bars = svg.Descendants().Where(e => e.Name.LocalName == "rect" && e.Attribute("fill") is { } fill).Select(e => e.Attribute("fill")!.Value.ToUpperInvariant()).ToList();
        Assert.True(bars.Count(f => f.StartsWith("#2CA02C", StringComparison.Ordinal)) >= green, $"{green} green bars expected in {string.Join(' ', bars)}");
        Assert.True(bars.Count(f => f.StartsWith("#D62728", StringComparison.Ordinal)) >= red, $"{red} red bars expected");
    }

    [Fact]
    public async Task The_fit_figure_names_the_coefficient_the_regression_endpoint_returns()
    {
        var fit = await Http.PostJson(factory.CreateClient(), "/v1/logistic-regression", """{"x":[0.5,1.5,2,3.5,4,6],"y":[0,0,1,0,1,1]}""");
        var (_, _, svg) = await Post($"{Path}?kind=fit", """{"x":[0.5,1.5,2,3.5,4,6],"y":[0,0,1,0,1,1]}""");

        var coefficient = fit.Body!["coefficients"]![0]!.GetValue<double>();
        Assert.Contains(coefficient.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture), svg.Attribute("aria-label")!.Value, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task Errors_are_those_of_the_regression_plus_one_feature_and_kind(string environment)
    {
        var client = Factories.For(environment).CreateClient();

        var label = await Http.PostJson(client, Path, """{"x":[1,2],"y":[0,2]}""");
        var features = await Http.PostJson(client, Path, """{"x":[[1,2],[3,4]],"y":[0,1]}""");
        var kind = await Http.PostJson(client, $"{Path}?kind=pie", Article);

        Assert.True(Http.AssertProblem(HttpStatusCode.BadRequest, label.Status, label.ContentType, label.Body)["errors"]!.AsObject().ContainsKey("y[1]"));
        Assert.Contains("one feature", Http.AssertProblem(HttpStatusCode.BadRequest, features.Status, features.ContentType, features.Body)["errors"]!["x"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("points, classes, split, fit", Http.AssertProblem(HttpStatusCode.BadRequest, kind.Status, kind.ContentType, kind.Body)["errors"]!["kind"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_png_of_the_bars_has_the_requested_size()
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, $"{Path}?kind=bars") { Content = new StringContent(Article, Encoding.UTF8, "application/json") };
        message.Headers.Accept.ParseAdd("image/png");

        var response = await factory.CreateClient().SendAsync(message);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(800, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(16, 4)));
    }

    private async Task<(HttpStatusCode Status, string? Type, XElement Svg)> Post(string path, string json)
    {
        var response = await factory.CreateClient().PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.IsSuccessStatusCode ? XDocument.Parse(text).Root! : new XElement("none"));
    }
}
