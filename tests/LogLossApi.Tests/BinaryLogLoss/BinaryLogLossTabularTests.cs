using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using LogLossApi.Testing;

namespace LogLossApi.Tests;

/// <summary>CSV and Arrow bodies and the CSV response of /v1/log-loss, through HTTP.</summary>
public sealed class BinaryLogLossTabularTests(LogLossApiFactory factory) : IClassFixture<LogLossApiFactory>
{
    public static TheoryData<Fixture, string, bool> FixturesByFormat()
    {
        var data = new TheoryData<Fixture, string, bool>();
        foreach (var fixture in Fixtures.For("/v1/log-loss"))
        {
            foreach (var format in new[] { Tabular.Csv, Tabular.Arrow })
            {
                data.Add(fixture, format, false);
                data.Add(fixture, format, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FixturesByFormat))]
    public async Task Every_binary_fixture_sent_as_csv_or_arrow_gives_the_json_numbers(Fixture fixture, string format, bool streamed)
    {
        var client = factory.CreateClient();
        var body = Body(fixture.Request, format);
        var expected = fixture.Expected.DeepClone().AsObject();
        if (streamed)
        {
            expected.Remove("losses");
        }

        var (status, contentType, json, _) = await Tabular.Post(client, "/v1/log-loss" + Tabular.Query(fixture.Request, streamed ? false : null), body, format);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", contentType);
        Assert.Empty(JsonComparison.Differences(expected, json, fixture.Relative, fixture.Absolute));
        Assert.Equal(!streamed, json!.AsObject().ContainsKey("losses"));
    }

    [Fact]
    public async Task Arrow_streams_of_many_record_batches_are_read_across_batch_and_block_boundaries()
    {
        var random = new Random(7);
        var request = new JsonObject
        {
            ["labels"] = new JsonArray([.. Enumerable.Range(0, 10_000).Select(_ => JsonValue.Create((double)random.Next(2)))]),
            ["probabilities"] = new JsonArray([.. Enumerable.Range(0, 10_000).Select(_ => JsonValue.Create(random.NextDouble()))]),
        };
        var client = factory.CreateClient();

        var json = await Http.PostJson(client, "/v1/log-loss", request.ToJsonString());
        var arrow = await Tabular.Post(client, "/v1/log-loss?includeLosses=false", Tabular.ToArrow(request, batchRows: 999), Tabular.Arrow);

        Assert.Equal(HttpStatusCode.OK, arrow.Status);
        Assert.Equal(json.Body!["meanLoss"]!.GetValue<double>(), arrow.Body!["meanLoss"]!.GetValue<double>(), 14);
        Assert.Equal(10_000, arrow.Body["count"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("application/json", false)]
    [InlineData(Tabular.Csv, true)]
    public async Task Accept_text_csv_returns_the_losses_as_csv_rows(string bodyFormat, bool csvBody)
    {
        var seed = Fixtures.Named("seed-example.json");
        var client = factory.CreateClient();
        var body = csvBody ? Encoding.UTF8.GetBytes(Tabular.ToCsv(seed.Request)) : Encoding.UTF8.GetBytes(seed.Request.ToJsonString());

        var (status, contentType, text, _) = await Tabular.Post(client, "/v1/log-loss", body, bodyFormat, accept: "text/csv");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/csv", contentType);
        var lines = text!.GetValue<string>().TrimEnd('\n').Split('\n');
        Assert.Equal("index,label,probability,loss", lines[0]);
        Assert.Equal(11, lines.Length);
        var expectedLosses = seed.Expected["losses"]!.AsArray().Select(l => l!.GetValue<double>()).ToArray();
        for (var i = 0; i < 10; i++)
        {
            var fields = lines[i + 1].Split(',');
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), fields[0]);
            Assert.Equal(seed.Request["labels"]![i]!.GetValue<double>(), double.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(expectedLosses[i], double.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture), 1e-12);
        }
    }

    [Theory]
    [InlineData("label,probability\n0,0.2\n1\n", "rows[1]")]
    [InlineData("label,probability\n0,0.2\n1,0.5,0.7\n", "rows[1]")]
    [InlineData("label,probability\n0,abc\n", "rows[0].probability")]
    [InlineData("label,probability\n0,NaN\n", "rows[0].probability")]
    [InlineData("label,probability\n,0.5\n", "rows[0].label")]
    [InlineData("0,0.5\n1,0.7\n", "header")]
    [InlineData("label,probabilty\n0,0.5\n", "header")]
    [InlineData("label\n0\n", "header")]
    [InlineData("label,probability,logit\n0,0.5,0\n", "header")]
    [InlineData("label,label,probability\n0,0,0.5\n", "header")]
    [InlineData("", "header")]
    public async Task Malformed_csv_is_a_400_problem_keyed_by_row_or_header(string csv, string key)
    {
        foreach (var includeLosses in new[] { true, false })
        {
            var client = factory.CreateClient();

            var (status, contentType, body, _) = await Tabular.Post(client, $"/v1/log-loss?includeLosses={(includeLosses ? "true" : "false")}", Encoding.UTF8.GetBytes(csv), Tabular.Csv);

            var problem = Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, body);
            Assert.True(problem["errors"]!.AsObject().ContainsKey(key), $"{key} not in {problem.ToJsonString()}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Out_of_range_values_are_keyed_by_row_for_csv_and_by_column_and_index_for_arrow(bool streamed)
    {
        var request = JsonNode.Parse("""{"labels":[0,1,2],"probabilities":[0.2,1.5,0.5],"weights":[1,-1,1]}""")!.AsObject();
        var client = factory.CreateClient();
        var query = streamed ? "?includeLosses=false" : string.Empty;

        var csv = await Tabular.Post(client, "/v1/log-loss" + query, Encoding.UTF8.GetBytes(Tabular.ToCsv(request)), Tabular.Csv);
        var arrow = await Tabular.Post(client, "/v1/log-loss" + query, Tabular.ToArrow(request), Tabular.Arrow);

        var csvErrors = Http.AssertProblem(HttpStatusCode.BadRequest, csv.Status, csv.ContentType, csv.Body)["errors"]!.AsObject();
        var arrowErrors = Http.AssertProblem(HttpStatusCode.BadRequest, arrow.Status, arrow.ContentType, arrow.Body)["errors"]!.AsObject();
        Assert.Equal(["rows[1].probability", "rows[1].weight", "rows[2].label"], csvErrors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["label[2]", "probability[1]", "weight[1]"], arrowErrors.Select(e => e.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_truncated_arrow_stream_is_a_400_problem()
    {
        var full = Tabular.ToArrow(Fixtures.Named("seed-example.json").Request);
        var client = factory.CreateClient();

        foreach (var length in new[] { 3, full.Length / 2, full.Length - 9 })
        {
            var (status, contentType, body, _) = await Tabular.Post(client, "/v1/log-loss", full[..length], Tabular.Arrow);

            Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, body);
        }
    }

    [Fact]
    public async Task Every_single_byte_corruption_of_an_arrow_stream_gets_200_or_a_4xx_problem()
    {
        var seed = Tabular.ToArrow(Fixtures.Named("seed-example.json").Request);
        var client = factory.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(5);
        var failures = new List<string>();

        foreach (var value in new byte[] { 0x00, 0x7F, 0xFF })
        {
            for (var at = 0; at < seed.Length; at++)
            {
                var corrupt = (byte[])seed.Clone();
                corrupt[at] = value;
                HttpStatusCode status;
                string? contentType;
                try
                {
                    (status, contentType, _, _) = await Tabular.Post(client, "/v1/log-loss", corrupt, Tabular.Arrow);
                }
                catch (TaskCanceledException)
                {
                    failures.Add($"byte {at} = 0x{value:X2}: no answer within 5 s");
                    continue;
                }

                if (!(status == HttpStatusCode.OK || ((int)status is >= 400 and < 500 && contentType == "application/problem+json")))
                {
                    failures.Add($"byte {at} = 0x{value:X2}: {(int)status} {factory.Logs.Events.LastOrDefault(e => e.Exception is not null)?.Exception?.GetType().Name}");
                }
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task Arrow_columns_of_the_wrong_type_or_with_nulls_are_400_problems()
    {
        var client = factory.CreateClient();
        var strings = Stream(new RecordBatch.Builder()
            .Append("label", false, c => c.Double(b => b.AppendRange([0, 1])))
            .Append("probability", false, c => c.String(b => b.Append("0.2").Append("0.8")))
            .Build());
        var nulls = Stream(new RecordBatch.Builder()
            .Append("label", false, c => c.Double(b => b.AppendRange([0, 1])))
            .Append("probability", true, c => c.Double(b => b.Append(0.2).AppendNull()))
            .Build());
        var integers = Stream(new RecordBatch.Builder()
            .Append("label", false, c => c.Int64(b => b.AppendRange([0, 1])))
            .Append("probability", false, c => c.Float(b => b.AppendRange([0.25f, 0.75f])))
            .Build());

        var wrongType = await Tabular.Post(client, "/v1/log-loss", strings, Tabular.Arrow);
        var withNull = await Tabular.Post(client, "/v1/log-loss", nulls, Tabular.Arrow);
        var otherNumbers = await Tabular.Post(client, "/v1/log-loss", integers, Tabular.Arrow);

        Assert.True(Http.AssertProblem(HttpStatusCode.BadRequest, wrongType.Status, wrongType.ContentType, wrongType.Body)["errors"]!.AsObject().ContainsKey("probability"));
        Assert.True(Http.AssertProblem(HttpStatusCode.BadRequest, withNull.Status, withNull.ContentType, withNull.Body)["errors"]!.AsObject().ContainsKey("probability[1]"));
        Assert.Equal(HttpStatusCode.OK, otherNumbers.Status);
        Assert.Equal(-Math.Log(0.75), otherNumbers.Body!["meanLoss"]!.GetValue<double>(), 6);
    }

    [Theory]
    [InlineData("int8")]
    [InlineData("int16")]
    [InlineData("int32")]
    [InlineData("int64")]
    [InlineData("uint8")]
    [InlineData("uint16")]
    [InlineData("uint32")]
    [InlineData("uint64")]
    [InlineData("halffloat")]
    [InlineData("float")]
    public async Task Arrow_labels_of_every_numeric_type_score_as_their_double_values(string type)
    {
        // 10,000 rows: three row blocks, so slices start inside the record batch.
        var random = new Random(11);
        var labels = Enumerable.Range(0, 10_000).Select(_ => random.Next(2)).ToArray();
        var probabilities = labels.Select(_ => random.NextDouble()).ToArray();
        RecordBatch Batch(Func<RecordBatch.ArrayBuilder, IArrowArray> label) => new RecordBatch.Builder()
            .Append("label", false, label)
            .Append("probability", false, c => c.Double(b => b.AppendRange(probabilities)))
            .Build();
        var typed = Stream(Batch(type switch
        {
            "int8" => c => c.Int8(b => b.AppendRange(labels.Select(l => (sbyte)l))),
            "int16" => c => c.Int16(b => b.AppendRange(labels.Select(l => (short)l))),
            "int32" => c => c.Int32(b => b.AppendRange(labels)),
            "int64" => c => c.Int64(b => b.AppendRange(labels.Select(l => (long)l))),
            "uint8" => c => c.UInt8(b => b.AppendRange(labels.Select(l => (byte)l))),
            "uint16" => c => c.UInt16(b => b.AppendRange(labels.Select(l => (ushort)l))),
            "uint32" => c => c.UInt32(b => b.AppendRange(labels.Select(l => (uint)l))),
            "uint64" => c => c.UInt64(b => b.AppendRange(labels.Select(l => (ulong)l))),
            "halffloat" => c => c.HalfFloat(b => b.AppendRange(labels.Select(l => (Half)l))),
            _ => c => c.Float(b => b.AppendRange(labels.Select(l => (float)l))),
        }));
        var doubles = Stream(Batch(c => c.Double(b => b.AppendRange(labels.Select(l => (double)l)))));
        var client = factory.CreateClient();

        var fromTyped = await Tabular.Post(client, "/v1/log-loss", typed, Tabular.Arrow);
        var fromDoubles = await Tabular.Post(client, "/v1/log-loss", doubles, Tabular.Arrow);

        Assert.Equal(HttpStatusCode.OK, fromTyped.Status);
        Assert.Equal(10_000, fromTyped.Body!["losses"]!.AsArray().Count);
        Assert.Equal(fromDoubles.Body!.ToJsonString(), fromTyped.Body.ToJsonString());
    }

    [Theory]
    [InlineData("?unit=furlongs", "unit")]
    [InlineData("?epsilon=abc", "epsilon")]
    [InlineData("?includeLosses=maybe", "includeLosses")]
    [InlineData("?colour=blue", "colour")]
    [InlineData("?epsilon=0.7", "options.epsilon")]
    public async Task Bad_query_options_are_400_problems_naming_the_parameter(string query, string key)
    {
        var client = factory.CreateClient();

        var (status, contentType, body, _) = await Tabular.Post(client, "/v1/log-loss" + query, "label,probability\n1,0.5\n"u8.ToArray(), Tabular.Csv);

        Assert.True(Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, body)["errors"]!.AsObject().ContainsKey(key));
    }

    [Theory]
    [InlineData(Tabular.Csv)]
    [InlineData(Tabular.Arrow)]
    public async Task More_rows_than_MaxSamples_is_a_413_problem_even_when_streamed(string format)
    {
        using var small = new LogLossApiFactory("Production", new Dictionary<string, string?> { ["Limits:MaxSamples"] = "5000" });
        var request = new JsonObject
        {
            ["labels"] = new JsonArray([.. Enumerable.Repeat(1.0, 5001).Select(v => JsonValue.Create(v))]),
            ["probabilities"] = new JsonArray([.. Enumerable.Repeat(0.5, 5001).Select(v => JsonValue.Create(v))]),
        };

        var (status, contentType, body, _) = await Tabular.Post(small.CreateClient(), "/v1/log-loss?includeLosses=false", Body(request, format), format);

        Http.AssertProblem(HttpStatusCode.RequestEntityTooLarge, status, contentType, body);
    }

    [Fact]
    public async Task Streamed_csv_needs_no_memory_per_row_where_collected_columns_would_not_fit()
    {
        // 1 MiB of budget: 300,000 rows (about 2.4 MB of body) scored as a stream fit; collected into columns they do not.
        using var tight = new LogLossApiFactory("Production", new Dictionary<string, string?> { ["Limits:MaxConcurrentBodyBytes"] = "1048576" });
        var csv = new StringBuilder("label,probability\n");
        for (var i = 0; i < 300_000; i++)
        {
            csv.Append(i % 2).Append(",0.").Append(1 + (i % 8)).Append('\n');
        }

        var bytes = Encoding.ASCII.GetBytes(csv.ToString());
        var client = tight.CreateClient();

        var streamed = await Tabular.Post(client, "/v1/log-loss?includeLosses=false", bytes, Tabular.Csv);
        var collected = await Tabular.Post(client, "/v1/log-loss", bytes, Tabular.Csv);

        Assert.Equal(HttpStatusCode.OK, streamed.Status);
        Assert.Equal(300_000, streamed.Body!["count"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, collected.Status);
    }

    private static byte[] Body(JsonObject request, string format) =>
        format == Tabular.Csv ? Encoding.UTF8.GetBytes(Tabular.ToCsv(request)) : Tabular.ToArrow(request);

    private static byte[] Stream(RecordBatch batch)
    {
        using var stream = new MemoryStream();
        using (var writer = new ArrowStreamWriter(stream, batch.Schema, leaveOpen: true))
        {
            writer.WriteRecordBatch(batch);
            writer.WriteEnd();
        }

        batch.Dispose();
        return stream.ToArray();
    }
}
