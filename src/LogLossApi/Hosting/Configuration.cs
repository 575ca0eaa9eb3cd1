using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace LogLossApi.Hosting;

internal static class Configuration
{
    private const string FileName = "appsettings.json";

    /// <summary>
    /// Loads the repository-root appsettings.json, which the build links into the output folder, when the content root
    /// (the project folder under <c>dotnet run</c> or a test host) has none. It takes the place of the content root's
    /// file: environment files, environment variables and the command line still override it.
    /// </summary>
    public static WebApplicationBuilder AddLinkedAppSettings(this WebApplicationBuilder builder)
    {
        if (File.Exists(Path.Combine(builder.Environment.ContentRootPath, FileName))
            || !File.Exists(Path.Combine(AppContext.BaseDirectory, FileName)))
        {
            return builder;
        }

        var sources = ((IConfigurationBuilder)builder.Configuration).Sources;
        var contentRootFile = sources.OfType<JsonConfigurationSource>().FirstOrDefault(s => s.Path == FileName);
        sources.Insert(contentRootFile is null ? 0 : sources.IndexOf(contentRootFile) + 1, new JsonConfigurationSource
        {
            Path = FileName,
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
            Optional = false,
            ReloadOnChange = true,
        });
        return builder;
    }
}
