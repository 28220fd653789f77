using Microsoft.Playwright;

namespace Gorgias.Integration.Browser.Tests.Support;

/// <summary>
/// One Host on Kestrel and one headless Chromium for a test class; each test opens its own browser context
/// (its own cookie jar). Chromium is Debian's: Playwright never downloads a browser here.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public KestrelHost Host { get; } = new();

    /// <summary>
    /// Where screenshots go: <c>$ARTIFACTS_DIR/screenshots</c> if set, else <c>artifacts/screenshots</c> at the
    /// repository root (gitignored), else TestResults/screenshots under the test output.
    /// </summary>
    public static string ScreenshotFolder =>
        Environment.GetEnvironmentVariable("ARTIFACTS_DIR") is { Length: > 0 } artifacts
            ? Path.Combine(artifacts, "screenshots")
            : RepositoryRoot() is { } root
                ? Path.Combine(root, "artifacts", "screenshots")
                : Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The browser tests need Debian's Chromium at {ChromiumPath}, which is missing. Install it with: "
                + "sudo apt-get update && sudo apt-get install -y chromium   (.ci/run does this on CI).");
        }

        Host.StartServer();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>A fresh context (no cookies) whose pages resolve relative URLs against the Host.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        var context = await (_browser ?? throw new InvalidOperationException("The fixture is not initialized.")).NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Host.Origin.ToString(),
            ViewportSize = new ViewportSize { Width = 1000, Height = 700 },
        });

        // Fail within seconds rather than Playwright's default 30 s when a page never shows what a test waits for.
        context.SetDefaultTimeout(15_000);
        context.SetDefaultNavigationTimeout(15_000);
        return context;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Host.DisposeAsync();
    }

    private static string? RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Gorgias.Integration.sln")))
            {
                return folder.FullName;
            }
        }

        return null;
    }
}
