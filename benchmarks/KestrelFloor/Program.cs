// The least an ASP.NET Core service can do with a scoring request: Kestrel reads the whole body, as it arrives, and
// answers a fixed JSON text the size of a 100-sample response. compare.sh runs it beside the service so that its
// figures say how much of a request's time is HTTP alone (bare minimal API, no middleware, no logging; the service's
// own transport memory, 64 KiB socket reads, so that the floor is not slower than the service at draining a body).
// With ?answerBytes=N it answers N bytes instead (formats.sh: the floor for a request and an answer of the service's sizes).
// Usage: dotnet KestrelFloor.dll   (ASPNETCORE_URLS chooses the address)
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddSingleton<Microsoft.AspNetCore.Connections.IMemoryPoolFactory<byte>, LogLossApi.Wire.Limits.TransportMemoryPoolFactory>();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 256 * 1024 * 1024);
var app = builder.Build();
var filler = new byte[64 * 1024];
var answer = System.Text.Encoding.UTF8.GetBytes("{\"losses\":[" + string.Join(',', Enumerable.Repeat("0.12345678901234567", 120)) + "]}");

app.MapPost("/v1/log-loss", async (HttpContext context) =>
{
    var body = context.Request.BodyReader;
    while (true)
    {
        var read = await body.ReadAsync(context.RequestAborted);
        body.AdvanceTo(read.Buffer.End);
        if (read.IsCompleted)
        {
            break;
        }
    }

    context.Response.ContentType = "application/json";
    if (long.TryParse(context.Request.Query["answerBytes"], out var bytes))
    {
        for (var left = bytes; left > 0; left -= filler.Length)
        {
            await context.Response.Body.WriteAsync(filler.AsMemory(0, (int)Math.Min(left, filler.Length)), context.RequestAborted);
        }

        return;
    }

    await context.Response.Body.WriteAsync(answer, context.RequestAborted);
});

await app.RunAsync();

