using LogLossApi.BinaryLogLoss;
using LogLossApi.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddLinkedAppSettings();
builder.AddLogLossLogging();
builder.Services.AddLogLossApi(builder.Configuration);

var app = builder.Build();
app.UseLogLossPipeline();
app.MapHealthEndpoints();
app.MapBinaryLogLoss();
app.Run();
