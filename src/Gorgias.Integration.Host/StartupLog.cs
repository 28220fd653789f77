namespace Gorgias.Integration.Host;

/// <summary>
/// The one line an operator reads first: which environment won (a launch profile silently overrides
/// <c>ASPNETCORE_ENVIRONMENT</c> under <c>dotnet run</c>), where the data really is, whether the sandbox is on, and
/// where telemetry goes.
/// </summary>
internal static partial class StartupLog
{
    public static void WhenStarted(WebApplication app, HostSettings settings, HostTelemetry.Export telemetry) =>
        app.Lifetime.ApplicationStarted.Register(() =>
            Started(app.Logger, app.Environment.EnvironmentName, settings.Storage, settings.Sandbox ? $"mounted at {HostSettings.SandboxPrefix}" : "not mounted",
                telemetry.ToString()));

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Gorgias.Integration started: environment {Environment}, storage {Storage}, sandbox {Sandbox}, {Telemetry}")]
    private static partial void Started(ILogger logger, string environment, string storage, string sandbox, string telemetry);
}
