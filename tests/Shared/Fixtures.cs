using System.Text.Json.Nodes;

namespace LogLossApi.Testing;

/// <summary>One conformance fixture of tests/fixtures: a request and the answer computed for it independently.</summary>
public sealed record Fixture(string FileName, string Name, string Endpoint, JsonObject Request, JsonObject Expected, double Relative, double Absolute)
{
    public override string ToString() => FileName;
}

public static class Fixtures
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Directory { get; } = Path.Combine(RepositoryRoot, "tests", "fixtures");

    public static IReadOnlyList<Fixture> All { get; } = LoadAll();

    public static IEnumerable<Fixture> For(string endpoint) => All.Where(f => f.Endpoint == endpoint);

    public static Fixture Named(string fileName) => All.Single(f => f.FileName == fileName);

    private static List<Fixture> LoadAll() =>
        System.IO.Directory.GetFiles(Directory, "*.json")
            .Order(StringComparer.Ordinal)
            .Select(Load)
            .ToList();

    private static Fixture Load(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var tolerance = root["tolerance"]!.AsObject();
        return new Fixture(
            Path.GetFileName(path),
            root["name"]!.GetValue<string>(),
            root["endpoint"]!.GetValue<string>(),
            root["request"]!.AsObject(),
            root["expected"]!.AsObject(),
            tolerance["relative"]!.GetValue<double>(),
            tolerance["absolute"]!.GetValue<double>());
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LogLossApi.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("LogLossApi.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Field-by-field comparison of a fixture's expected subset with an actual response, as fixtures/README.md says.</summary>
public static class JsonComparison
{
    /// <summary>Every difference, as "path: message"; empty when the actual value matches.</summary>
    public static List<string> Differences(JsonNode? expected, JsonNode? actual, double relative, double absolute)
    {
        var differences = new List<string>();
        Compare("$", expected, actual, relative, absolute, differences);
        return differences;
    }

    private static double? AsNumber(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)
            : null;

    private static void Compare(string path, JsonNode? expected, JsonNode? actual, double relative, double absolute, List<string> differences)
    {
        switch (expected)
        {
            case null:
                if (actual is not null)
                {
                    differences.Add($"{path}: expected null or absent, got {actual.ToJsonString()}");
                }

                break;
            case JsonObject expectedObject:
                if (actual is not JsonObject actualObject)
                {
                    differences.Add($"{path}: expected an object, got {actual?.ToJsonString() ?? "nothing"}");
                    break;
                }

                foreach (var (key, value) in expectedObject)
                {
                    if (value is not null && !actualObject.ContainsKey(key))
                    {
                        differences.Add($"{path}.{key}: missing");
                        continue;
                    }

                    Compare($"{path}.{key}", value, actualObject[key], relative, absolute, differences);
                }

                break;
            case JsonArray expectedArray:
                if (actual is not JsonArray actualArray || actualArray.Count != expectedArray.Count)
                {
                    differences.Add($"{path}: expected an array of {expectedArray.Count}, got {actual?.ToJsonString() ?? "nothing"}");
                    break;
                }

                for (var i = 0; i < expectedArray.Count; i++)
                {
                    Compare($"{path}[{i}]", expectedArray[i], actualArray[i], relative, absolute, differences);
                }

                break;
            case JsonValue value when AsNumber(value) is { } a:
                if (AsNumber(actual) is not { } b)
                {
                    differences.Add($"{path}: expected {a:R}, got {actual?.ToJsonString() ?? "nothing"}");
                }
                else if (!(Math.Abs(a - b) <= Math.Max(absolute, relative * Math.Abs(a))))
                {
                    differences.Add($"{path}: expected {a:R}, got {b:R}");
                }

                break;
            default:
                if (actual is null || expected.ToJsonString() != actual.ToJsonString())
                {
                    differences.Add($"{path}: expected {expected.ToJsonString()}, got {actual?.ToJsonString() ?? "nothing"}");
                }

                break;
        }
    }
}
