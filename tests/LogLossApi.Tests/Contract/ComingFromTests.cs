using System.Net;
using System.Text.RegularExpressions;
using LogLossApi.Testing;

namespace LogLossApi.Tests;

/// <summary>Every worked request of docs/coming-from-scikit-learn-pytorch-keras.md gets the meanLoss the page quotes.</summary>
public sealed partial class ComingFromTests
{
    private const string Page = "docs/coming-from-scikit-learn-pytorch-keras.md";

    public static TheoryData<string, string, double> Examples()
    {
        var text = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, Page));
        var data = new TheoryData<string, string, double>();
        foreach (Match example in Example().Matches(text))
        {
            data.Add(example.Groups["path"].Value, example.Groups["body"].Value, double.Parse(example.Groups["mean"].Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        return data;
    }

    [Fact]
    public void The_page_has_its_six_examples() => Assert.Equal(6, Examples().Count);

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task A_worked_request_gets_the_answer_the_page_quotes(string path, string body, double meanLoss)
    {
        var (status, _, json, _) = await Http.PostJson(Factories.For("Production").CreateClient(), path, body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(meanLoss, json!["meanLoss"]!.GetValue<double>(), 1e-15);
    }

    [GeneratedRegex("`POST (?<path>/v1/[^`]+)`\\s+```json\\n(?<body>[^`]+)\\n```\\s+The service answers `\"meanLoss\": (?<mean>[0-9.e+-]+)`")]
    private static partial Regex Example();
}
