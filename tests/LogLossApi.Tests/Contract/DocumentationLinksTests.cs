using System.Text.RegularExpressions;
using LogLossApi.Testing;

namespace LogLossApi.Tests;

/// <summary>README and docs/ link only to files a clone has, and never to the contract outside the repository.</summary>
public sealed partial class DocumentationLinksTests
{
    public static TheoryData<string> Documents() => new("README.md", "docs/api.md", "docs/distributed.md", "docs/benchmarks.md", "docs/coming-from-scikit-learn-pytorch-keras.md", "docs/python.md", "tests/fixtures/README.md");

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task Every_relative_link_names_a_file_in_the_repository(string document)
    {
        var path = Path.Combine(Fixtures.RepositoryRoot, document);
        var text = await File.ReadAllTextAsync(path);
        var folder = Path.GetDirectoryName(path)!;

        var links = MarkdownLink().Matches(text).Select(m => m.Groups["target"].Value)
            .Where(t => !t.StartsWith("http", StringComparison.Ordinal) && !t.StartsWith('#'))
            .Select(t => t.Split('#')[0])
            .ToList();

        Assert.All(links, link =>
        {
            var target = Path.GetFullPath(Path.Combine(folder, link));
            Assert.True(File.Exists(target) || Directory.Exists(target), $"{document} links to {link}, which a clone does not have");
            Assert.StartsWith(Fixtures.RepositoryRoot, target, StringComparison.Ordinal);
        });
        Assert.DoesNotContain("shared/API.md", text, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
