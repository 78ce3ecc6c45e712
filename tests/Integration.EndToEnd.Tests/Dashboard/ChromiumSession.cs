using System.Text.Json;
using Integration.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Chromium;
using OpenQA.Selenium.Support.UI;

namespace Integration.EndToEnd.Tests.Dashboard;

/// <summary>
/// Debian's headless Chromium driven through Debian's chromedriver (never a downloaded browser), pointed at one hub.
/// Screenshots go to <c>artifacts/screenshots/</c>, kept by CI with the test results.
/// </summary>
public sealed class ChromiumSession : IDisposable
{
    private static readonly string ChromiumPath = Environment.GetEnvironmentVariable("HUB_TEST_CHROMIUM") ?? "/usr/bin/chromium";
    private static readonly string ChromeDriverPath = Environment.GetEnvironmentVariable("HUB_TEST_CHROMEDRIVER") ?? "/usr/bin/chromedriver";
    private readonly string _testName;
    private int _shots;

    public ChromiumSession(Uri hub, string testName)
    {
        Hub = hub;
        _testName = testName;
        foreach (var (path, package) in new[] { (ChromiumPath, "chromium"), (ChromeDriverPath, "chromium-driver") })
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{path} is missing: install Debian's {package} (scripts/test.sh does: apt-get install -y chromium chromium-driver).");
            }
        }

        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1000");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriverPath)!, Path.GetFileName(ChromeDriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        WebDriver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Wait = new WebDriverWait(WebDriver, TimeSpan.FromSeconds(30)) { PollingInterval = TimeSpan.FromMilliseconds(200) };
        Wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
    }

    public Uri Hub { get; }
    public IWebDriver WebDriver { get; }
    public WebDriverWait Wait { get; }

    public static string ScreenshotDirectory => Path.Combine(MedComExamples.RepositoryRoot, "artifacts", "screenshots");

    public void Open(string path) => WebDriver.Navigate().GoToUrl(new Uri(Hub, path));

    public void SignIn(string name, string password)
    {
        Open("/");
        Wait.Until(d => d.Url.Contains("/signin", StringComparison.Ordinal));
        WebDriver.FindElement(By.Id("name")).SendKeys(name);
        WebDriver.FindElement(By.Id("password")).SendKeys(password);
        Screenshot("sign-in");
        WebDriver.FindElement(By.Id("signin")).Click();
        Wait.Until(d => d.FindElement(By.Id("who")).Text.Length > 0);
    }

    /// <summary>Waits for an element matching <paramref name="by"/> whose text satisfies <paramref name="text"/>.</summary>
    public IWebElement WaitFor(By by, Func<string, bool>? text = null)
    {
        try
        {
            return Wait.Until(d => d.FindElements(by).FirstOrDefault(e => e.Displayed && (text is null || text(e.Text))));
        }
        catch (WebDriverTimeoutException)
        {
            Screenshot("timed-out"); // what the page showed instead
            throw;
        }
    }

    /// <summary>
    /// The text of the first element matching <paramref name="by"/> whose text satisfies <paramref name="text"/>, read
    /// inside the wait: pages that refresh themselves replace elements, so a found element may be gone a moment later.
    /// </summary>
    public string TextOf(By by, Func<string, bool> text)
    {
        try
        {
            return Wait.Until(d => d.FindElements(by).Select(e => e.Displayed ? e.Text : null).FirstOrDefault(t => t is not null && text(t)));
        }
        catch (WebDriverTimeoutException)
        {
            Screenshot("timed-out");
            throw;
        }
    }

    /// <summary>Clicks the first element matching <paramref name="by"/> whose text satisfies <paramref name="text"/>, again if it was replaced meanwhile.</summary>
    public void Click(By by, Func<string, bool> text)
    {
        try
        {
            Wait.Until(d =>
            {
                var element = d.FindElements(by).FirstOrDefault(e => e.Displayed && text(e.Text));
                element?.Click();
                return element is not null;
            });
        }
        catch (WebDriverTimeoutException)
        {
            Screenshot("timed-out");
            throw;
        }
    }

    /// <summary>From now on every request of the page waits <paramref name="latency"/> (Chromium's network emulation).</summary>
    public void DelayRequests(TimeSpan latency) =>
        ((ChromeDriver)WebDriver).NetworkConditions = new ChromiumNetworkConditions
        {
            Latency = latency,
            DownloadThroughput = 100_000_000,
            UploadThroughput = 100_000_000,
        };

    /// <summary>The requests the page has completed whose address contains <paramref name="addressPart"/>: when each
    /// started and when its response ended, in milliseconds since the page loaded (the browser's resource timing).</summary>
    public IReadOnlyList<(double Start, double End)> Requests(string addressPart)
    {
        var json = (string?)((IJavaScriptExecutor)WebDriver).ExecuteScript(
            "return JSON.stringify(performance.getEntriesByType('resource').filter(e => e.name.includes(arguments[0])).map(e => [e.startTime, e.responseEnd]));",
            addressPart) ?? "[]";
        return [.. JsonSerializer.Deserialize<double[][]>(json)!.Select(times => (times[0], times[1]))];
    }

    public static By TestId(string id) => By.CssSelector($"[data-testid='{id}']");

    /// <summary>Saves what the page shows now as artifacts/screenshots/{test}-{n}-{step}.png.</summary>
    public string Screenshot(string step)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, $"{_testName}-{++_shots:00}-{step}.png");
        ((ITakesScreenshot)WebDriver).GetScreenshot().SaveAsFile(path);
        return path;
    }

    public void Dispose() => WebDriver.Quit();
}
