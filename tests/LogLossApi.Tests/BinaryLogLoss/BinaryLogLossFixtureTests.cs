using System.Net;
using System.Text.Json.Nodes;
using LogLossApi.Testing;

namespace LogLossApi.Tests;

public sealed class BinaryLogLossFixtureTests(LogLossApiFactory factory) : IClassFixture<LogLossApiFactory>
{
    public static TheoryData<Fixture> BinaryFixtures() => new(Fixtures.For("/v1/log-loss"));

    [Theory]
    [MemberData(nameof(BinaryFixtures))]
    public async Task Score_matches_the_fixture_field_by_field(Fixture fixture)
    {
        await Http.PostFixture(factory.CreateClient(), fixture);
    }

    [Fact]
    public async Task Score_gives_the_seed_articles_numbers()
    {
        var client = factory.CreateClient();

        var (_, _, body, _) = await Http.PostJson(client, "/v1/log-loss", Fixtures.Named("seed-example.json").Request.ToJsonString());

        Assert.Equal(0.33291, body!["meanLoss"]!.GetValue<double>(), 5);
        Assert.Equal(7, body["classes"]!["positive"]!["count"]!.GetValue<int>());
        Assert.Equal(3, body["classes"]!["negative"]!["count"]!.GetValue<int>());
        Assert.Equal(0.61086, body["entropy"]!["baseRateEntropy"]!.GetValue<double>(), 5);
        Assert.Equal(10, body["losses"]!.AsArray().Count);
    }

    [Fact]
    public async Task Score_leaves_losses_out_when_includeLosses_is_false()
    {
        var request = Fixtures.Named("seed-example.json").Request.DeepClone().AsObject();
        request["options"] = new JsonObject { ["includeLosses"] = false };
        var client = factory.CreateClient();

        var (status, _, body, _) = await Http.PostJson(client, "/v1/log-loss", request.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body!.AsObject().ContainsKey("losses"));
        Assert.Equal(0.3329114099503904, body["meanLoss"]!.GetValue<double>(), 12);
    }

    [Fact]
    public async Task Score_writes_every_loss_of_a_large_request_exactly()
    {
        // 200,000 samples: a body that reaches the endpoint in many pipe segments, and a losses column long enough
        // to be formatted on several cores.
        var samples = RandomSamples.Create(200_000, seed: 20261124);
        var client = factory.CreateClient();

        var (status, _, body, _) = await Http.PostJson(client, "/v1/log-loss", samples.ToJson());

        Assert.Equal(HttpStatusCode.OK, status);
        samples.AssertScored(body);
    }

    [Fact]
    public async Task Score_returns_null_standard_error_for_one_sample()
    {
        var client = factory.CreateClient();

        var (status, _, body, _) = await Http.PostJson(client, "/v1/log-loss", """{"labels":[1],"probabilities":[0.5]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body!.AsObject().ContainsKey("standardError"));
        Assert.Null(body["standardError"]);
        Assert.Equal(Math.Log(2), body["meanLoss"]!.GetValue<double>(), 15);
    }

    [Fact]
    public async Task Score_keeps_logits_of_a_thousand_finite()
    {
        var client = factory.CreateClient();

        var (status, _, body, _) = await Http.PostJson(client, "/v1/log-loss", """{"labels":[1,0,0,1],"logits":[-1000,1000,-1000,1000]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var losses = body!["losses"]!.AsArray().Select(l => l!.GetValue<double>()).ToArray();
        Assert.Equal([1000.0, 1000.0, 0.0, 0.0], losses);
        Assert.Equal(500.0, body["meanLoss"]!.GetValue<double>());
    }
}
