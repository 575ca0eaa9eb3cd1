using System.Net;
using System.Text;

namespace LogLossApi.Tests;

/// <summary>What users of scikit-learn and pandas commonly send by mistake gets an error that says what to send instead.</summary>
public sealed class HelpfulErrorsTests
{
    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task Labels_minus_one_and_one_are_told_to_map_minus_one_to_zero(string environment)
    {
        var (status, contentType, json, _) = await Http.PostJson(Factories.For(environment).CreateClient(), "/v1/log-loss", """{"labels":[-1,1],"probabilities":[0.2,0.7]}""");

        var errors = Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, json)["errors"]!.AsObject();
        Assert.Contains("map the −1/+1 convention's −1 to 0", errors["labels[0]"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task A_predict_proba_matrix_is_told_to_send_its_column_one(string environment)
    {
        var (status, contentType, json, _) = await Http.PostJson(Factories.For(environment).CreateClient(), "/v1/log-loss", """{"labels":[0,1],"probabilities":[[0.8,0.2],[0.3,0.7]]}""");

        var problem = Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, json);
        Assert.Contains("predict_proba(X)[:, 1]", problem.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("/v1/log-loss/multiclass", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Development", ",label,probability\n0,1,0.8\n1,0,0.3\n")]
    [InlineData("Production", "Unnamed: 0,label,probability\n0,1,0.8\n")]
    public async Task A_pandas_index_column_is_told_to_write_without_the_index(string environment, string csv)
    {
        var (status, contentType, json, _) = await Tabular.Post(Factories.For(environment).CreateClient(), "/v1/log-loss", Encoding.UTF8.GetBytes(csv), Tabular.Csv);

        var errors = Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, json)["errors"]!.AsObject();
        Assert.Contains("to_csv(index=False)", errors["header"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Development", "/v1/log-loss", """{"labels":[0,1],"probabilites":[0.2,0.7]}""", "probabilites", "probabilities")]
    [InlineData("Production", "/v1/log-loss", """{"y_true":[0,1],"probabilities":[0.2,0.7]}""", "y_true", "labels")]
    [InlineData("Production", "/v1/log-loss", """{"Labels":[0,1],"probabilities":[0.2,0.7]}""", "Labels", "labels")]
    [InlineData("Development", "/v1/log-loss", """{"labels":[0,1],"probabilities":[0.2,0.7],"options":{"eps":1e-7}}""", "options.eps", "epsilon")]
    [InlineData("Production", "/v1/logistic-regression", """{"x":[1,2],"y":[0,1],"options":{"C":2}}""", "options.C", "c")]
    public async Task A_misspelt_property_lists_the_allowed_ones_and_suggests_the_closest(string environment, string path, string body, string key, string closest)
    {
        var (status, contentType, json, _) = await Http.PostJson(Factories.For(environment).CreateClient(), path, body);

        var errors = Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, json)["errors"]!.AsObject();
        var message = errors[key]![0]!.GetValue<string>();
        Assert.Contains("the properties are", message, StringComparison.Ordinal);
        Assert.EndsWith($"Did you mean '{closest}'?", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_property_nothing_like_the_allowed_ones_lists_them_without_a_guess()
    {
        var (status, contentType, json, _) = await Http.PostJson(Factories.For("Production").CreateClient(), "/v1/log-loss", """{"labels":[0,1],"probabilities":[0.2,0.7],"zzzzzzzz":1}""");

        var message = Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, json)["errors"]!["zzzzzzzz"]![0]!.GetValue<string>();
        Assert.Contains("labels, probabilities, logits, weights, options", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Did you mean", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"labels":[0,1],"probabilities":[NaN,0.5]}""", "JSON has no NaN or Infinity")]
    [InlineData("""{"labels":[0,1],"probabilities":[0.2,0.5],}""", "remove the trailing comma")]
    [InlineData("""{"labels":[0,1],"probabilities":[0.2,0.5,]}""", "remove the trailing comma")]
    [InlineData("""{"labels":[0,1],"probabilities":[0.2,/* x */0.5]}""", "no comments")]
    public async Task Syntax_errors_read_as_a_person_would_write_them(string body, string says)
    {
        var (status, contentType, json, _) = await Http.PostJson(Factories.For("Production").CreateClient(), "/v1/log-loss", body);

        var detail = Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, json)["detail"]!.GetValue<string>();
        Assert.Contains(says, detail, StringComparison.Ordinal);
        Assert.Matches(@"\(line \d+, byte \d+\)", detail);
        Assert.DoesNotContain("reader options", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("invalid start", detail, StringComparison.Ordinal);
    }
}
