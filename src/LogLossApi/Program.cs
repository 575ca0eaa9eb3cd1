using LogLossApi.BinaryLogLoss;
using LogLossApi.Calibration;
using LogLossApi.Charts;
using LogLossApi.Comparison;
using LogLossApi.Hosting;
using LogLossApi.Merge;
using LogLossApi.MulticlassLogLoss;
using LogLossApi.Regression;

if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddLinkedAppSettings();
builder.AddLogLossLogging();
builder.Services.AddLogLossApi(builder.Configuration, json:
[
    BinaryLogLossJsonContext.Default,
    MulticlassLogLossJsonContext.Default,
    CalibrationJsonContext.Default,
    CompareJsonContext.Default,
    LogisticRegressionJsonContext.Default,
    MergeJsonContext.Default,
], tags: new Dictionary<string, string>
{
    ["Log loss"] = "Score predictions: binary and multiclass log loss, its calibration decomposition, paired model comparison, and the merge of states of pieces scored anywhere.",
    ["Charts"] = "The figures behind a score, drawn as SVG or PNG.",
    ["Logistic regression"] = "Fit scikit-learn's default logistic regression and score the fit: the article's own model.",
});
builder.Services.AddHealthChecks().AddCheck<SeedExampleCheck>("scoring", tags: [Health.ReadyTag]);

var app = builder.Build();
app.UseLogLossPipeline();
app.MapHealthEndpoints();
var v1 = app.MapVersion1();
v1.MapBinaryLogLoss();
v1.MapMulticlassLogLoss();
v1.MapCalibration();
v1.MapCompare();
v1.MapCharts();
v1.MapLogisticRegression();
v1.MapRegressionCharts();
v1.MapMerge();
await app.RunAsync();
return 0;
