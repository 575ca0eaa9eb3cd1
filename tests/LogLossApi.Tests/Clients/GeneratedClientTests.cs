using System.Net;
using System.Text.Json.Nodes;
using SeedExample = LogLossApi.BinaryLogLoss.SeedExample;
using LogLossApi.Client;
using LogLossApi.Client.Models;
using LogLossApi.Client.V1.LogLoss.Chart;
using LogLossApi.Testing;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace LogLossApi.Tests.Clients;

/// <summary>
/// The Kiota client in clients/dotnet, generated from the service's own document, calls every endpoint of the service:
/// each conformance fixture of a JSON endpoint read into the client's request model, sent through it, and its answer,
/// written back as JSON by the client, within the fixture's tolerances; compare, chart and merge against the same
/// request sent as plain JSON; a 400 as the client's typed problem.
/// </summary>
public sealed class GeneratedClientTests(LogLossApiFactory factory) : IClassFixture<LogLossApiFactory>
{
    private LogLossApiClient Client()
    {
        var http = factory.CreateClient();
        return new LogLossApiClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http)
        {
            BaseUrl = http.BaseAddress!.ToString().TrimEnd('/'),
        });
    }

    public static TheoryData<string> JsonFixtures() =>
        [.. Fixtures.All.Where(f => f.Endpoint is "/v1/log-loss" or "/v1/log-loss/multiclass" or "/v1/log-loss/calibration" or "/v1/logistic-regression").Select(f => f.FileName)];

    [Theory]
    [MemberData(nameof(JsonFixtures))]
    public async Task Every_fixture_of_a_JSON_endpoint_gives_its_expected_answer_through_the_client(string fileName)
    {
        var fixture = Fixtures.Named(fileName);
        var client = Client();
        var request = fixture.Request.ToJsonString();

        IParsable? answer = fixture.Endpoint switch
        {
            "/v1/log-loss" => await client.V1.LogLoss.PostAsync(await Read(request, BinaryLogLossRequest.CreateFromDiscriminatorValue)),
            "/v1/log-loss/multiclass" => await client.V1.LogLoss.Multiclass.PostAsync(await Read(request, MulticlassLogLossRequest.CreateFromDiscriminatorValue)),
            "/v1/log-loss/calibration" => await client.V1.LogLoss.Calibration.PostAsync(await Read(request, CalibrationRequest.CreateFromDiscriminatorValue)),
            _ => await client.V1.LogisticRegression.PostAsync(await Read(request, LogisticRegressionRequest.CreateFromDiscriminatorValue)),
        };

        var written = JsonNode.Parse(await KiotaJsonSerializer.SerializeAsStringAsync(answer!, serializeOnlyChangedValues: false));
        Assert.Empty(JsonComparison.Differences(fixture.Expected, written, fixture.Relative, fixture.Absolute));
    }

    [Fact]
    public async Task Compare_through_the_client_answers_as_the_JSON_request_does()
    {
        var body = new JsonObject
        {
            ["labels"] = new JsonArray([.. SeedExample.Labels.Select(y => JsonValue.Create(y))]),
            ["models"] = new JsonArray(
                new JsonObject { ["name"] = "fit", ["probabilities"] = new JsonArray([.. SeedExample.Probabilities.Select(p => JsonValue.Create(p))]) },
                new JsonObject { ["name"] = "base rate", ["probabilities"] = new JsonArray([.. SeedExample.Labels.Select(_ => JsonValue.Create(0.7))]) }),
        }.ToJsonString();

        var answer = await Client().V1.LogLoss.Compare.PostAsync(await Read(body, CompareRequest.CreateFromDiscriminatorValue));
        var (status, _, expected, _) = await Http.PostJson(factory.CreateClient(), "/v1/log-loss/compare", body);

        Assert.Equal(HttpStatusCode.OK, status);
        var written = JsonNode.Parse(await KiotaJsonSerializer.SerializeAsStringAsync(answer!, serializeOnlyChangedValues: false));
        Assert.Empty(JsonComparison.Differences(expected, written, 0, 0));
        Assert.Equal("base rate", answer!.Comparisons![0].Model);
    }

    [Theory]
    [InlineData(PostKindQueryParameterType.Probabilities)]
    [InlineData(PostKindQueryParameterType.Losses)]
    [InlineData(PostKindQueryParameterType.Reliability)]
    public async Task A_chart_through_the_client_is_the_SVG_the_JSON_request_gets(PostKindQueryParameterType kind)
    {
        var name = kind.ToString().ToLowerInvariant();
        var body = SeedBody();

        await using var chart = await Client().V1.LogLoss.Chart.PostAsync(await Read(body, BinaryLogLossRequest.CreateFromDiscriminatorValue), request =>
        {
            request.QueryParameters.Kind = kind;
            request.Headers.Add("Accept", "image/svg+xml");
        });
        using var reader = new StreamReader(chart!);
        var svg = await reader.ReadToEndAsync();

        using var direct = await factory.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/v1/log-loss/chart?kind={name}")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            Headers = { { "Accept", "image/svg+xml" } },
        });
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        Assert.Contains("<svg", svg, StringComparison.Ordinal);
        Assert.Equal(WithoutClipIds(await direct.Content.ReadAsStringAsync()), WithoutClipIds(svg));
    }

    [Fact]
    public async Task States_from_the_client_merge_through_the_client_into_the_whole_datasets_answer()
    {
        var client = Client();
        var pieces = new List<BinaryLogLossState>();
        foreach (var (start, count) in new[] { (0, 4), (4, 6) })
        {
            var piece = await client.V1.LogLoss.PostAsync(new BinaryLogLossRequest
            {
                Labels = [.. SeedExample.Labels.Skip(start).Take(count).Select(y => (double?)y)],
                Probabilities = [.. SeedExample.Probabilities.Skip(start).Take(count).Select(p => (double?)p)],
                Options = new BinaryLogLossOptions { IncludeState = true, IncludeLosses = false },
            });
            pieces.Add(piece!.State!);
        }

        var merged = await client.V1.LogLoss.Merge.PostAsync(new MergeRequest
        {
            States = [.. pieces.Select(state => new MergeRequest.MergeRequest_states { BinaryLogLossState = state })],
        });
        var whole = await client.V1.LogLoss.PostAsync(await Read(SeedBody(), BinaryLogLossRequest.CreateFromDiscriminatorValue));

        Assert.Equal(10, merged!.Count);
        Assert.Equal(whole!.MeanLoss!.Value, merged.MeanLoss!.Value, 1e-15);
        Assert.Equal(whole.StandardError!.Value, merged.StandardError!.Value, 1e-15);
    }

    [Fact]
    public async Task A_bad_request_is_the_clients_typed_problem_naming_the_field_and_index()
    {
        var problem = await Assert.ThrowsAsync<HttpValidationProblemDetails>(() => Client().V1.LogLoss.PostAsync(new BinaryLogLossRequest
        {
            Labels = [0, 1],
            Probabilities = [0.2, 1.5],
        }));

        Assert.Equal(400, problem.ResponseStatusCode);
        Assert.Contains("probabilities[1]", problem.Errors!.AdditionalData.Keys);
        Assert.NotNull(problem.AdditionalData["traceId"]);
    }

    private static string SeedBody() => new JsonObject
    {
        ["labels"] = new JsonArray([.. SeedExample.Labels.Select(y => JsonValue.Create(y))]),
        ["probabilities"] = new JsonArray([.. SeedExample.Probabilities.Select(p => JsonValue.Create(p))]),
    }.ToJsonString();

    /// <summary>The SVG with its clip-path ids blanked: the renderer numbers them per drawing, not per chart.</summary>
    private static string WithoutClipIds(string svg) => System.Text.RegularExpressions.Regex.Replace(svg, "cl_[0-9a-z]+", "cl_");

    private static async Task<T> Read<T>(string json, ParsableFactory<T> factory)
        where T : IParsable =>
        (await KiotaJsonSerializer.DeserializeAsync(json, factory))!;
}
