using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using LogLossApi.Testing;

namespace LogLossApi.Tests.BinaryLogLoss;

/// <summary>
/// <c>Accept: application/vnd.apache.arrow.stream</c> on /v1/log-loss: the per-sample losses as an Arrow stream in
/// record batches, equal to the JSON answer's losses bit for bit, the JSON answer itself in the schema's metadata.
/// </summary>
public sealed class ArrowAnswerTests(LogLossApiFactory factory) : IClassFixture<LogLossApiFactory>
{
    private sealed record ArrowAnswer(Schema Schema, List<RecordBatch> Batches, JsonNode Report)
    {
        public double[] Column(string name) =>
            [.. Batches.SelectMany(b => ((DoubleArray)b.Column(name)).Values.ToArray())];
    }

    private static async Task<ArrowAnswer> ReadArrow(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Tabular.Arrow, response.Content.Headers.ContentType?.MediaType);
        using var reader = new ArrowStreamReader(await response.Content.ReadAsStreamAsync());
        var batches = new List<RecordBatch>();
        while (await reader.ReadNextRecordBatchAsync() is { } batch)
        {
            batches.Add(batch);
        }

        var schema = reader.Schema;
        return new(schema, batches, JsonNode.Parse(schema.Metadata["loglossapi.report"])!);
    }

    private async Task<HttpResponseMessage> Send(string path, byte[] body, string contentType, string accept)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        message.Headers.Accept.ParseAdd(accept);
        return await factory.CreateClient().SendAsync(message);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData(Tabular.Csv)]
    [InlineData(Tabular.Arrow)]
    public async Task The_losses_come_back_as_arrow_equal_to_the_json_answer_with_the_report_in_the_metadata(string bodyFormat)
    {
        var seed = Fixtures.Named("seed-example.json");
        var body = bodyFormat switch
        {
            Tabular.Csv => Encoding.UTF8.GetBytes(Tabular.ToCsv(seed.Request)),
            Tabular.Arrow => Tabular.ToArrow(seed.Request),
            _ => Encoding.UTF8.GetBytes(seed.Request.ToJsonString()),
        };

        var answer = await ReadArrow(await Send("/v1/log-loss", body, bodyFormat, Tabular.Arrow));
        var json = await Http.PostJson(factory.CreateClient(), "/v1/log-loss", seed.Request.ToJsonString());

        Assert.Equal(["index", "label", "probability", "loss"], answer.Schema.FieldsList.Select(f => f.Name));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), answer.Batches.SelectMany(b => ((Int64Array)b.Column("index")).Values.ToArray()));
        Assert.Equal(seed.Request["labels"]!.AsArray().Select(v => v!.GetValue<double>()), answer.Column("label"));
        Assert.Equal(seed.Request["probabilities"]!.AsArray().Select(v => v!.GetValue<double>()), answer.Column("probability"));
        Assert.Equal(json.Body!["losses"]!.AsArray().Select(v => v!.GetValue<double>()), answer.Column("loss"));
        Assert.Null(answer.Report["losses"]);
        Assert.Equal(json.Body["meanLoss"]!.GetValue<double>(), answer.Report["meanLoss"]!.GetValue<double>());
        Assert.Empty(JsonComparison.Differences(seed.Expected.AsObject().Where(p => p.Key != "losses").Aggregate(new JsonObject(), (o, p) => { o[p.Key] = p.Value?.DeepClone(); return o; }), answer.Report, seed.Relative, seed.Absolute));
    }

    [Fact]
    public async Task A_large_answer_is_split_into_record_batches_and_keeps_every_row_in_order()
    {
        var rows = 150_000;
        var random = new Random(7);
        var labels = Enumerable.Range(0, rows).Select(i => (double)(i % 3 == 0 ? 1 : 0)).ToArray();
        var probabilities = Enumerable.Range(0, rows).Select(_ => random.NextDouble()).ToArray();
        var request = new JsonObject
        {
            ["labels"] = new JsonArray([.. labels.Select(v => JsonValue.Create(v))]),
            ["probabilities"] = new JsonArray([.. probabilities.Select(v => JsonValue.Create(v))]),
        };

        var answer = await ReadArrow(await Send("/v1/log-loss", Tabular.ToArrow(request, batchRows: 10_000), Tabular.Arrow, Tabular.Arrow));
        var json = await Http.PostJson(factory.CreateClient(), "/v1/log-loss", request.ToJsonString());

        Assert.Equal([65_536, 65_536, 18_928], answer.Batches.Select(b => b.Length));
        Assert.Equal(probabilities, answer.Column("probability"));
        Assert.Equal(json.Body!["losses"]!.AsArray().Select(v => v!.GetValue<double>()), answer.Column("loss"));
        Assert.Equal(rows - 1, ((Int64Array)answer.Batches[^1].Column("index")).GetValue(18_927));
    }

    [Fact]
    public async Task A_loss_beyond_the_double_range_is_null_as_in_json_and_logits_name_their_column()
    {
        var body = """{"labels":[1,0,1],"logits":[-1e308,2,-1e308],"options":{"positiveWeight":10}}""";

        var answer = await ReadArrow(await Send("/v1/log-loss", Encoding.UTF8.GetBytes(body), "application/json", Tabular.Arrow));
        var json = await Http.PostJson(factory.CreateClient(), "/v1/log-loss", body);

        Assert.Equal("logit", answer.Schema.FieldsList[2].Name);
        var loss = (DoubleArray)answer.Batches.Single().Column("loss");
        Assert.Equal(2, loss.NullCount);
        Assert.Null(json.Body!["losses"]![0]);
        Assert.Null(loss.GetValue(0));
        Assert.Equal(json.Body["losses"]![1]!.GetValue<double>(), loss.GetValue(1));
        Assert.Null(loss.GetValue(2));
    }

    [Fact]
    public async Task The_state_rides_in_the_metadata_when_asked_for_which_a_csv_answer_refuses()
    {
        var seed = Fixtures.Named("seed-example.json");
        var csv = Encoding.UTF8.GetBytes(Tabular.ToCsv(seed.Request));

        var answer = await ReadArrow(await Send("/v1/log-loss?includeState=true", csv, Tabular.Csv, Tabular.Arrow));
        using var refused = await Send("/v1/log-loss?includeState=true", csv, Tabular.Csv, Tabular.Csv);

        Assert.Equal("binary", answer.Report["state"]!["kind"]!.GetValue<string>());
        Assert.Equal(10, answer.Report["state"]!["count"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("application/vnd.apache.arrow.stream", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/vnd.apache.arrow.stream", Tabular.Arrow)]
    [InlineData("text/csv;q=0.5, application/vnd.apache.arrow.stream", Tabular.Arrow)]
    [InlineData("text/csv, application/vnd.apache.arrow.stream;q=0.5", Tabular.Csv)]
    [InlineData("application/json, application/vnd.apache.arrow.stream;q=0.5", "application/json")]
    [InlineData("application/vnd.apache.arrow.stream;q=0", "application/json")]
    public async Task The_accept_header_chooses_by_quality(string accept, string expected)
    {
        var seed = Fixtures.Named("seed-example.json");

        using var response = await Send("/v1/log-loss", Encoding.UTF8.GetBytes(seed.Request.ToJsonString()), "application/json", accept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_bad_row_is_still_a_problem_not_an_arrow_stream()
    {
        var body = """{"labels":[0,1],"probabilities":[0.2,1.5]}""";

        using var response = await Send("/v1/log-loss", Encoding.UTF8.GetBytes(body), "application/json", Tabular.Arrow);

        var problem = Http.AssertProblem(HttpStatusCode.BadRequest, response.StatusCode, response.Content.Headers.ContentType?.MediaType, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
        Assert.NotNull(problem["errors"]!["probabilities[1]"]);
    }
}
