using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace LogLossApi.BrowserTests;

/// <summary>
/// The explainer page at / in Debian's Chromium, driven by Playwright, against the service on a real loopback port.
/// Playwright never downloads a browser here: it is given /usr/bin/chromium (apt-get install chromium).
/// </summary>
public sealed class ExplainerTests(ExplainerTests.Browser browser) : IClassFixture<ExplainerTests.Browser>
{
    [Fact]
    public async Task The_page_shows_the_seeds_mean_loss_its_breakdown_and_three_charts()
    {
        var page = await browser.OpenAsync();

        await Assertions.Expect(page.Locator("#mean-loss")).ToHaveTextAsync("0.3329");
        await Assertions.Expect(page.Locator(".chart svg")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#classes tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("output[data-field=klDivergence]")).ToHaveTextAsync("0.3329");
        var screenshot = Path.Combine(AppContext.BaseDirectory, "explainer.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 20_000, "the screenshot holds the rendered page");
    }

    [Fact]
    public async Task Editing_a_probability_changes_the_mean_loss()
    {
        var page = await browser.OpenAsync();
        await Assertions.Expect(page.Locator("#mean-loss")).ToHaveTextAsync("0.3329");

        await page.Locator("input[name=probability]").Nth(0).FillAsync("0.9");

        await Assertions.Expect(page.Locator("#mean-loss")).Not.ToHaveTextAsync(new Regex("^(0\\.3329|…|–)$"));
        var value = double.Parse(await page.Locator("#mean-loss").TextContentAsync() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(value > 0.5, $"a confident wrong forecast raises the mean loss: {value}");
    }

    [Fact]
    public async Task A_probability_of_one_and_a_half_shows_an_error_next_to_its_cell_and_no_alert()
    {
        var page = await browser.OpenAsync();
        var dialogs = 0;
        page.Dialog += (_, dialog) =>
        {
            dialogs++;
            _ = dialog.DismissAsync();
        };
        await Assertions.Expect(page.Locator("#mean-loss")).ToHaveTextAsync("0.3329");

        await page.Locator("input[name=probability]").Nth(3).FillAsync("1.5");

        var error = page.Locator(".field-error[data-key='probabilities[3]']");
        await Assertions.Expect(error).ToContainTextAsync("[0, 1]");
        await Assertions.Expect(page.Locator("input[name=probability]").Nth(3)).ToHaveClassAsync(new Regex("invalid"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "explainer-error.png") });
        Assert.Equal(0, dialogs);
    }

    [Fact]
    public async Task Pasted_csv_replaces_the_table()
    {
        var page = await browser.OpenAsync();
        await Assertions.Expect(page.Locator("#mean-loss")).ToHaveTextAsync("0.3329");

        await page.Locator("details summary").ClickAsync();
        await page.Locator("#csv").FillAsync("label,probability\n1,0.5\n0,0.5\n");
        await page.Locator("#use-csv").ClickAsync();

        await Assertions.Expect(page.Locator("#samples tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#mean-loss")).ToHaveTextAsync("0.6931");
    }

    [Fact]
    public async Task Pasted_csv_is_read_by_its_header_whatever_the_column_order_and_a_weight_column_counts()
    {
        var page = await browser.OpenAsync();
        await Assertions.Expect(page.Locator("#mean-loss")).ToHaveTextAsync("0.3329");
        await page.Locator("details summary").ClickAsync();

        await page.Locator("#csv").FillAsync("probability,label\n0.2,0\n0.7,1\n0.9,1\n");
        await page.Locator("#use-csv").ClickAsync();

        // (−ln 0.8 − ln 0.7 − ln 0.9) / 3, not the 7.2087 of the probabilities taken for labels.
        await Assertions.Expect(page.Locator("#mean-loss")).ToHaveTextAsync("0.2284");
        await Assertions.Expect(page.Locator("input[name=label]").Nth(0)).ToHaveValueAsync("0");
        await Assertions.Expect(page.Locator("input[name=probability]").Nth(0)).ToHaveValueAsync("0.2");

        await page.Locator("#csv").FillAsync("label,weight,probability\n1,1,0.5\n0,0,0.9\n");
        await page.Locator("#use-csv").ClickAsync();

        // The second row has weight 0: the mean is the first row's ln 2 alone.
        await Assertions.Expect(page.Locator("#mean-loss")).ToHaveTextAsync("0.6931");
        await Assertions.Expect(page.Locator("input[name=weight]").Nth(1)).ToHaveValueAsync("0");

        await page.Locator("#csv").FillAsync("prob,label\n0.2,0\n");
        await page.Locator("#use-csv").ClickAsync();

        await Assertions.Expect(page.Locator("#csv-error")).ToContainTextAsync("Unknown column \"prob\"");
        await Assertions.Expect(page.Locator("#samples tbody tr")).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task An_invalid_cell_clears_every_figure_that_no_longer_matches_the_table()
    {
        var page = await browser.OpenAsync();
        await Assertions.Expect(page.Locator(".chart svg")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#classes tbody tr")).ToHaveCountAsync(2);

        await page.Locator("input[name=probability]").Nth(2).FillAsync("abc");

        await Assertions.Expect(page.Locator("#mean-loss")).ToHaveTextAsync("–");
        await Assertions.Expect(page.Locator("#stale")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#classes tbody tr")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".chart svg")).ToHaveCountAsync(0);
        foreach (var output in await page.Locator("#entropy output[data-field]").AllAsync())
        {
            await Assertions.Expect(output).ToHaveTextAsync("–");
        }

        await page.Locator("input[name=probability]").Nth(2).FillAsync("0.46953487599649574");

        await Assertions.Expect(page.Locator("#mean-loss")).ToHaveTextAsync("0.3329");
        await Assertions.Expect(page.Locator("#stale")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator(".chart svg")).ToHaveCountAsync(3);
    }

    [Fact]
    public async Task Swagger_ui_try_it_out_shows_the_chart_as_an_image()
    {
        var page = await browser.OpenAsync("swagger/index.html");

        // "Try it out" is on by default (the seed's ten points are pre-filled): open the operation and execute it.
        await page.Locator("#operations-Charts-DrawLogLossChart .opblock-summary").ClickAsync();
        await page.Locator("#operations-Charts-DrawLogLossChart .execute").ClickAsync();

        var image = page.Locator("#operations-Charts-DrawLogLossChart .live-responses-table img");
        await Assertions.Expect(image).ToHaveCountAsync(1);
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('#operations-Charts-DrawLogLossChart .live-responses-table img'); return i && i.complete && i.naturalWidth > 0; }");
        await image.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "swagger-chart.png") });
    }

    /// <summary>The service on Kestrel on a free loopback port, and one headless Chromium shared by the tests.</summary>
    public sealed class Browser : IAsyncLifetime, IDisposable
    {
        public const string Executable = "/usr/bin/chromium";

        private readonly Service _service = new();
        private IPlaywright? _playwright;
        private IBrowser? _browser;

        public async Task InitializeAsync()
        {
            if (!File.Exists(Executable))
            {
                return;
            }

            _service.UseKestrel(0);
            _service.StartServer();
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Executable,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
        }

        public async Task<IPage> OpenAsync(string path = "")
        {
            if (_browser is null)
            {
                throw new InvalidOperationException($"Chromium is not installed at {Executable}: apt-get install chromium (bash .ci/run installs it).");
            }

            using var client = _service.CreateClient();
            var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
            await page.GotoAsync(new Uri(client.BaseAddress!, path).ToString());
            return page;
        }

        public async Task DisposeAsync()
        {
            if (_browser is not null)
            {
                await _browser.DisposeAsync();
            }

            _playwright?.Dispose();
            await _service.DisposeAsync();
        }

        public void Dispose() => _service.Dispose();
    }

    private sealed class Service : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseEnvironment("Production");
    }
}
