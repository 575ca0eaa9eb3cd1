using System.Net;
using System.Text.Json.Nodes;
using LogLossApi.Testing;
using ParquetSharp;

namespace LogLossApi.Tests.Wire;

/// <summary>
/// <c>application/vnd.apache.parquet</c> bodies on every endpoint that takes CSV and Arrow, in files written by
/// Parquet.Net (independent of the service's ParquetSharp reader) and by ParquetSharp: every fixture as Parquet gives
/// its expected answer; column types, row groups, nulls and unreadable files are answered as the other formats are.
/// </summary>
public sealed class ParquetBodyTests(LogLossApiFactory factory) : IClassFixture<LogLossApiFactory>
{
    private const string Parquet = "application/vnd.apache.parquet";

    public static TheoryData<string> TabularFixtures() =>
        [.. Fixtures.All.Where(f => f.Endpoint is "/v1/log-loss" or "/v1/log-loss/calibration").Select(f => f.FileName)];

    [Theory]
    [MemberData(nameof(TabularFixtures))]
    public async Task Every_fixture_sent_as_parquet_in_small_row_groups_gives_its_expected_answer(string fileName)
    {
        var fixture = Fixtures.Named(fileName);
        var body = await ParquetFiles.FromRequest(fixture.Request);

        var (status, contentType, answer, _) = await Tabular.Post(factory.CreateClient(), fixture.Endpoint + Tabular.Query(fixture.Request), body, Parquet);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", contentType);
        Assert.Empty(JsonComparison.Differences(fixture.Expected, answer, fixture.Relative, fixture.Absolute));
    }

    [Fact]
    public async Task Booleans_small_integers_floats_and_nullable_columns_without_nulls_read_as_their_numbers()
    {
        var seed = Fixtures.Named("seed-example.json");
        var labels = seed.Request["labels"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var probabilities = seed.Request["probabilities"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var json = await Http.PostJson(factory.CreateClient(), "/v1/log-loss", new JsonObject
        {
            ["labels"] = seed.Request["labels"]!.DeepClone(),
            ["probabilities"] = new JsonArray([.. probabilities.Select(p => JsonValue.Create((double)(float)p))]),
            ["weights"] = new JsonArray([.. labels.Select((_, i) => JsonValue.Create((double)(i + 1)))]),
        }.ToJsonString());

        foreach (var label in new[]
        {
            ParquetFiles.Of("label", labels.Select(y => y == 1).ToArray()),
            ParquetFiles.Of("label", labels.Select(y => (sbyte)y).ToArray()),
            ParquetFiles.Of("label", labels.Select(y => (long)y).ToArray()),
            ParquetFiles.OfNullable("label", labels.Select(y => (int?)y).ToArray()),
        })
        {
            var body = await ParquetFiles.Write(10, 4, label, ParquetFiles.Of("probability", probabilities.Select(p => (float)p).ToArray()), ParquetFiles.OfNullable("weight", labels.Select((_, i) => (double?)(i + 1)).ToArray()));

            var (status, _, answer, _) = await Tabular.Post(factory.CreateClient(), "/v1/log-loss", body, Parquet);

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(json.Body!["meanLoss"]!.GetValue<double>(), answer!["meanLoss"]!.GetValue<double>());
            Assert.Equal(json.Body["losses"]!.ToJsonString(), answer["losses"]!.ToJsonString());
        }
    }

    [Fact]
    public async Task A_file_written_by_parquet_cpp_with_snappy_and_many_row_groups_reads_every_row_in_order()
    {
        var rows = 20_000;
        var random = new Random(3);
        var labels = Enumerable.Range(0, rows).Select(i => (double)(i % 2)).ToArray();
        var probabilities = Enumerable.Range(0, rows).Select(_ => random.NextDouble()).ToArray();
        var body = LogLossApi.BinaryLogLoss.WarmUpBodies.Parquet(labels, probabilities, 3_001, Compression.Snappy);

        var (status, _, answer, _) = await Tabular.Post(factory.CreateClient(), "/v1/log-loss", body, Parquet);
        var json = await Http.PostJson(factory.CreateClient(), "/v1/log-loss", new JsonObject
        {
            ["labels"] = new JsonArray([.. labels.Select(v => JsonValue.Create(v))]),
            ["probabilities"] = new JsonArray([.. probabilities.Select(v => JsonValue.Create(v))]),
        }.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(rows, answer!["count"]!.GetValue<int>());
        Assert.Equal(json.Body!["losses"]!.ToJsonString(), answer["losses"]!.ToJsonString());
    }

    [Theory]
    [InlineData("null", "probability[5]")]
    [InlineData("string", "probability")]
    [InlineData("corrupt", "$")]
    [InlineData("empty", "$")]
    [InlineData("missing", "schema")]
    public async Task Unreadable_parquet_is_a_problem_keyed_by_column_and_row(string kind, string key)
    {
        var labels = Enumerable.Range(0, 10).Select(i => (double)(i % 2)).ToArray();
        var body = kind switch
        {
            "null" => await ParquetFiles.Write(10, 4, ParquetFiles.Of("label", labels), ParquetFiles.OfNullable("probability", labels.Select((_, i) => i == 5 ? (double?)null : 0.5).ToArray())),
            "string" => await StringColumn(),
            "corrupt" => [.. (await ParquetFiles.Write(10, 4, ParquetFiles.Of("label", labels), ParquetFiles.Of("probability", labels))).Take(60)],
            "missing" => await ParquetFiles.Write(10, 4, ParquetFiles.Of("label", labels)),
            _ => [],
        };

        var (status, contentType, problem, _) = await Tabular.Post(factory.CreateClient(), "/v1/log-loss", body, Parquet);

        var errors = Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, problem)["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(key), $"expected {key} in {errors.ToJsonString()}");
    }

    [Fact]
    public async Task Calibration_and_the_chart_take_parquet_too()
    {
        var seed = Fixtures.Named("seed-example.json");
        var body = await ParquetFiles.FromRequest(seed.Request);

        var calibration = await Tabular.Post(factory.CreateClient(), "/v1/log-loss/calibration?bins=5", body, Parquet);
        var chart = await Tabular.Post(factory.CreateClient(), "/v1/log-loss/chart?kind=losses", body, Parquet, accept: "image/svg+xml");

        Assert.Equal(HttpStatusCode.OK, calibration.Status);
        Assert.Equal(seed.Expected["meanLoss"]!.GetValue<double>(), calibration.Body!["meanLoss"]!.GetValue<double>(), 1e-15);
        Assert.Equal(HttpStatusCode.OK, chart.Status);
        Assert.Equal("image/svg+xml", chart.ContentType);
    }

    private static async Task<byte[]> StringColumn()
    {
        using var stream = new MemoryStream();
        var label = new global::Parquet.Schema.DataField<double>("label");
        var probability = new global::Parquet.Schema.DataField<string>("probability");
        await using (var writer = await global::Parquet.ParquetWriter.CreateAsync(new global::Parquet.Schema.ParquetSchema(label, probability), stream))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<double>(label, new double[] { 0, 1 });
            await group.WriteAsync(probability, ["0.2", "0.7"]);
        }

        return stream.ToArray();
    }
}
