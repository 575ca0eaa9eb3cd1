using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace LogLossApi.BrowserTests;

/// <summary>
/// The explainer page at / in Debian's Chromium, driven by Playwright, against the service on a real loopback port, at
/// 1280 × 900 and 390 × 844: the article's walk-through, your own data, plain-language errors, and an axe audit. Every
/// test also fails on a console error, a failed page resource or a request to anything but the service. Screenshots of
/// every figure at both sizes go to screenshots/ in the test output. Playwright never downloads a browser here: it is
/// given /usr/bin/chromium (apt-get install chromium).
/// </summary>
public sealed class ExplainerTests(ExplainerTests.Browser browser) : IClassFixture<ExplainerTests.Browser>
{
    /// <summary>The two screens of the issue: a laptop and a phone.</summary>
    public static TheoryData<int, int> Screens() => new() { { 1280, 900 }, { 390, 844 } };

    private static readonly string[] Figures = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"];

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task The_walk_through_reaches_0_3329_with_the_articles_points_and_every_figure_fits_its_screen(int width, int height)
    {
        var (page, problems) = await browser.OpenAsync(width, height);

        await Assertions.Expect(page.Locator("#mean-loss")).ToHaveTextAsync("0.3329");
        await Assertions.Expect(page.Locator("#mean-loss-figure")).ToHaveTextAsync("0.3329 nats");
        await Assertions.Expect(page.Locator(".step .chart svg")).ToHaveCountAsync(Figures.Length + 1);
        await Assertions.Expect(page.Locator("#model")).ToHaveTextAsync("p(x) = σ(0.9719 x + 0.6555)");
        await Assertions.Expect(page.Locator("#gain-text")).ToContainTextAsync("gains 0.2780 nats per point");

        // No horizontal scrolling of the page; each chart as wide as its container at most, the whole picture shown.
        Assert.True(await page.EvaluateAsync<bool>("() => document.scrollingElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");
        var output = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        foreach (var figure in Figures.Append("reliability"))
        {
            var step = page.Locator($"#figure-{figure}");
            var chart = await step.Locator(".chart").BoundingBoxAsync();
            var svg = await step.Locator(".chart svg").BoundingBoxAsync();
            Assert.True(svg!.Width <= chart!.Width + 0.5 && svg.Width > Math.Min(300, width - 40), $"figure {figure}: {svg.Width} px in {chart.Width} px");
            Assert.True(Math.Abs((svg.Height / svg.Width) - 0.625) < 0.01, $"figure {figure} is cropped: {svg.Width} × {svg.Height}");
            Assert.False(string.IsNullOrWhiteSpace(await step.Locator(".chart svg").GetAttributeAsync("aria-label")), $"figure {figure} has no text alternative");
            await step.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(output, $"figure-{figure}-{width}.png") });
        }

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(output, $"explainer-{width}.png") });
        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task Next_and_previous_step_through_the_figures_the_data_has(int width, int height)
    {
        var (page, problems) = await browser.OpenAsync(width, height);
        await Assertions.Expect(page.Locator(".step .chart svg")).ToHaveCountAsync(Figures.Length + 1);

        await page.Locator("#next-step").ClickAsync();
        await Assertions.Expect(page.Locator("#step-label")).ToHaveTextAsync("Figure 0 · 1 of 13");
        await page.Locator("#next-step").ClickAsync();
        await page.Locator("#next-step").ClickAsync();
        await page.Locator("#next-step").ClickAsync();
        await Assertions.Expect(page.Locator("#step-label")).ToHaveTextAsync("Figure 3 · 4 of 13");
        var summary = await page.Locator("#summary").BoundingBoxAsync();
        var figure = await page.Locator("#figure-3").BoundingBoxAsync();
        Assert.InRange(figure!.Y - (summary!.Y + summary.Height), -1, 40);
        await page.Locator("#previous-step").ClickAsync();
        await Assertions.Expect(page.Locator("#step-label")).ToHaveTextAsync("Figure 2 · 3 of 13");

        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.GetByLabel("labels and probabilities from any model").CheckAsync();
        await Assertions.Expect(page.Locator("#mean-loss")).ToHaveTextAsync("0.3329");
        await page.Locator("#next-step").ClickAsync();
        await Assertions.Expect(page.Locator("#step-label")).ToHaveTextAsync("Figure 7 · 1 of 6");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task The_mean_loss_stays_in_view_while_long_data_is_edited_and_the_table_scrolls_inside_itself()
    {
        var (page, problems) = await browser.OpenAsync(390, 844);
        await Assertions.Expect(page.Locator("#mean-loss")).ToHaveTextAsync("0.3329");

        var csv = "x,label\n" + string.Join("\n", Enumerable.Range(0, 2000).Select(i => $"{(i % 97) / 10.0 - 4.8:0.0},{(i * 7 % 10 < 6 ? 1 : 0)}"));
        await page.Locator("details summary").ClickAsync();
        await page.Locator("#csv").FillAsync(csv);
        await page.Locator("#use-csv").ClickAsync();
        await Assertions.Expect(page.Locator("#samples tbody tr")).ToHaveCountAsync(2000);
        await Assertions.Expect(page.Locator("#summary-note")).ToContainTextAsync("over 2000 points");

        var last = page.Locator("input[name=x]").Nth(1999);
        await last.FillAsync("9.5");
        await Assertions.Expect(page.Locator("#summary-note")).ToContainTextAsync("over 2000 points");
        var summary = await page.Locator("#summary").BoundingBoxAsync();
        var table = await page.Locator(".table-scroll").BoundingBoxAsync();
        Assert.InRange(summary!.Y, -1, 1);
        Assert.True(table!.Height < 400, $"the table is {table.Height} px tall");
        Assert.True(await page.EvaluateAsync<bool>("() => document.scrollingElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Your_own_x_and_labels_give_the_coefficient_the_regression_endpoint_returns()
    {
        var (page, problems) = await browser.OpenAsync(1280, 900);
        await Assertions.Expect(page.Locator("#mean-loss")).ToHaveTextAsync("0.3329");

        await page.Locator("details summary").ClickAsync();
        await page.Locator("#csv").FillAsync("label,x\n0,0.5\n0,1.5\n1,2\n0,3.5\n1,4\n1,6\n");
        await page.Locator("#use-csv").ClickAsync();

        using var client = browser.Client();
        var fit = System.Text.Json.Nodes.JsonNode.Parse(await (await client.PostAsync("/v1/logistic-regression", new StringContent("""{"x":[0.5,1.5,2,3.5,4,6],"y":[0,0,1,0,1,1]}""", System.Text.Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync())!;
        var coefficient = fit["coefficients"]![0]!.GetValue<double>().ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture);
        var mean = fit["logLoss"]!["meanLoss"]!.GetValue<double>().ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator("#model")).ToContainTextAsync($"σ({coefficient} x");
        await Assertions.Expect(page.Locator("#mean-loss")).ToHaveTextAsync(mean);
        await Assertions.Expect(page.Locator("#figure-3 svg")).ToHaveAttributeAsync("aria-label", new Regex(Regex.Escape(coefficient)));
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Labels_and_probabilities_skip_figures_0_to_6_and_say_why()
    {
        var (page, problems) = await browser.OpenAsync(1280, 900);
        await Assertions.Expect(page.Locator("#mean-loss")).ToHaveTextAsync("0.3329");

        await page.GetByLabel("labels and probabilities from any model").CheckAsync();

        await Assertions.Expect(page.Locator("#skipped")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#skipped")).ToContainTextAsync("Figures 0–6 need each point's feature x");
        await Assertions.Expect(page.Locator("#mean-loss")).ToHaveTextAsync("0.3329");
        foreach (var figure in Figures.Take(7))
        {
            await Assertions.Expect(page.Locator($"#figure-{figure}")).ToBeHiddenAsync();
        }

        await Assertions.Expect(page.Locator("#figure-7 svg")).ToHaveAttributeAsync("aria-label", new Regex("in input order"));
        await Assertions.Expect(page.Locator("#figure-8 svg")).ToBeVisibleAsync();
        // Two negatives forecast positive with 0.99: the model now does worse than the base rate.
        await page.GetByLabel("P(y = 1) of point 0").FillAsync("0.99");
        await page.GetByLabel("P(y = 1) of point 1").FillAsync("0.99");
        await Assertions.Expect(page.Locator("#gain-text")).ToContainTextAsync("The model loses");
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("", "Enter a number between 0 and 1.")]
    [InlineData("abc", "Enter a number between 0 and 1: the probability that this point is positive.")]
    [InlineData("50%", "Enter a number between 0 and 1: 50% is 0.5.")]
    [InlineData("0,5", "Enter a number between 0 and 1, with a dot for decimals: 0.5.")]
    [InlineData("1.5", "Enter a number between 0 and 1: the probability that this point is positive.")]
    public async Task A_bad_cell_says_what_to_enter_next_to_it_and_clears_the_results(string text, string message)
    {
        var (page, problems) = await browser.OpenAsync(1280, 900);
        await page.GetByLabel("labels and probabilities from any model").CheckAsync();
        await Assertions.Expect(page.Locator("#mean-loss")).ToHaveTextAsync("0.3329");

        await page.GetByLabel("P(y = 1) of point 3").FillAsync(text);

        await Assertions.Expect(page.Locator(".field-error[data-key='probabilities[3]']")).ToHaveTextAsync(message);
        await Assertions.Expect(page.GetByLabel("P(y = 1) of point 3")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#mean-loss")).ToHaveTextAsync("–");
        await Assertions.Expect(page.Locator(".chart svg")).ToHaveCountAsync(0);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Csv_reads_quoted_fields_and_names_what_is_wrong_with_a_header()
    {
        var (page, problems) = await browser.OpenAsync(1280, 900);
        await page.GetByLabel("labels and probabilities from any model").CheckAsync();
        await Assertions.Expect(page.Locator("#mean-loss")).ToHaveTextAsync("0.3329");
        await page.Locator("details summary").ClickAsync();

        await page.Locator("#csv").FillAsync("\"probability\",\"label\"\n\"0.2\",0\n\"0.7\",\"1\"\n0.9,1\n");
        await page.Locator("#use-csv").ClickAsync();
        // (−ln 0.8 − ln 0.7 − ln 0.9) / 3.
        await Assertions.Expect(page.Locator("#mean-loss")).ToHaveTextAsync("0.2284");

        await page.Locator("#csv").FillAsync(",label,probability\n0,0,0.2\n1,1,0.7\n");
        await page.Locator("#use-csv").ClickAsync();
        await Assertions.Expect(page.Locator("#csv-error")).ToContainTextAsync("index=False");

        await page.Locator("#csv").FillAsync("prob,label\n0.2,0\n");
        await page.Locator("#use-csv").ClickAsync();
        await Assertions.Expect(page.Locator("#csv-error")).ToContainTextAsync("Unknown column \"prob\"");
        await Assertions.Expect(page.Locator("#samples tbody tr")).ToHaveCountAsync(3);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task A_probability_of_exactly_one_is_flagged_as_clipped_and_the_summary_says_why()
    {
        var (page, problems) = await browser.OpenAsync(1280, 900);
        await page.GetByLabel("labels and probabilities from any model").CheckAsync();
        await Assertions.Expect(page.Locator("#mean-loss")).ToHaveTextAsync("0.3329");

        await page.GetByLabel("P(y = 1) of point 9").FillAsync("1");

        await Assertions.Expect(page.Locator("#summary-note")).ToContainTextAsync("1 probability was clipped");
        await Assertions.Expect(page.GetByLabel("P(y = 1) of point 9")).ToHaveClassAsync(new Regex("clipped"));
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Soft_labels_explain_why_the_reliability_diagram_is_not_drawn()
    {
        var (page, problems) = await browser.OpenAsync(1280, 900);
        await page.GetByLabel("labels and probabilities from any model").CheckAsync();
        await Assertions.Expect(page.Locator("#mean-loss")).ToHaveTextAsync("0.3329");

        await page.GetByLabel("label of point 0").FillAsync("0.3");

        await Assertions.Expect(page.Locator("#soft-note")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#figure-reliability svg")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#figure-11 svg")).ToHaveAttributeAsync("aria-label", new Regex("soft labels"));
        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task An_accessibility_audit_finds_no_serious_or_critical_violation(int width, int height)
    {
        var (page, problems) = await browser.OpenAsync(width, height);
        await Assertions.Expect(page.Locator(".step .chart svg")).ToHaveCountAsync(Figures.Length + 1);

        var results = await page.RunAxe();

        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help} ({v.Nodes.Length} nodes)").ToList();
        Assert.True(serious.Count == 0, string.Join("; ", serious));
        foreach (var control in await page.Locator("input, button, textarea").AllAsync())
        {
            if (await control.IsVisibleAsync())
            {
                var name = await control.EvaluateAsync<string>("e => e.labels?.[0]?.textContent || e.getAttribute('aria-label') || e.textContent");
                Assert.False(string.IsNullOrWhiteSpace(name), await control.EvaluateAsync<string>("e => e.outerHTML"));
            }
        }

        Assert.Empty(problems);
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

        public Task<IPage> OpenAsync(string path = "") => OpenAsync(path, 1200, 900);

        /// <summary>
        /// The page at <paramref name="width"/> × <paramref name="height"/>, and the problems it has had so far: console
        /// errors, failed responses, and requests to anything but the service.
        /// </summary>
        public async Task<(IPage Page, List<string> Problems)> OpenAsync(int width, int height)
        {
            var problems = new List<string>();
            var page = await OpenAsync("", width, height, problems);
            return (page, problems);
        }

        public HttpClient Client() => _service.CreateClient();

        private async Task<IPage> OpenAsync(string path, int width, int height, List<string>? problems = null)
        {
            if (_browser is null)
            {
                throw new InvalidOperationException($"Chromium is not installed at {Executable}: apt-get install chromium (bash .ci/run installs it).");
            }

            using var client = _service.CreateClient();
            var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
            if (problems is not null)
            {
                var origin = client.BaseAddress!.GetLeftPart(UriPartial.Authority);
                page.Console += (_, message) => { if (message.Type == "error") problems.Add($"console: {message.Text}"); };
                page.Request += (_, request) => { if (!request.Url.StartsWith(origin, StringComparison.Ordinal)) problems.Add($"external request: {request.Url}"); };
                page.Response += (_, response) => { if (response.Status >= 400 && !response.Url.Contains("/v1/", StringComparison.Ordinal)) problems.Add($"{response.Status}: {response.Url}"); };
            }

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
