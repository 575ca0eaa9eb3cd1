using LogLossApi.BinaryLogLoss;
using LogLossApi.Calibration;
using LogLossApi.Charts;
using LogLossApi.Comparison;
using LogLossApi.Infrastructure;
using LogLossApi.Regression;
using LogLossApi.MulticlassLogLoss;

if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddLinkedAppSettings();
builder.AddLogLossLogging();
builder.Services.AddLogLossApi(builder.Configuration);

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
await app.RunAsync();
return 0;
