using LogLossApi.Testing;

namespace LogLossApi.Scoring.Tests;

public sealed class FixtureCopyTests
{
    private static readonly string SharedDirectory = Path.GetFullPath(Path.Combine(Fixtures.RepositoryRoot, "..", "shared", "fixtures"));

    [Fact]
    public void Copied_fixtures_are_byte_for_byte_the_shared_ones()
    {
        // A plain clone has no ../shared; CI and developers' machines do, and there the copy must not drift.
        if (!Directory.Exists(SharedDirectory))
        {
            Assert.NotEmpty(Fixtures.All);
            return;
        }

        var shared = Directory.GetFiles(SharedDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var copied = Directory.GetFiles(Fixtures.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(shared, copied);
        foreach (var name in shared)
        {
            Assert.True(
                File.ReadAllBytes(Path.Combine(SharedDirectory, name!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(Fixtures.Directory, name!))),
                $"tests/fixtures/{name} differs from ../shared/fixtures/{name}");
        }
    }

    [Fact]
    public void Every_fixture_names_an_endpoint_and_an_expected_answer()
    {
        var fixtures = Fixtures.All;

        Assert.True(fixtures.Count >= 17);
        Assert.All(fixtures, f => Assert.StartsWith("/v1/", f.Endpoint, StringComparison.Ordinal));
        Assert.All(fixtures, f => Assert.NotEmpty(f.Expected));
    }
}
