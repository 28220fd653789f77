using Gorgias.Integration;
using Gorgias.Integration.Host;
using Gorgias.Integration.Host.Admin;
using Gorgias.Integration.Web;

ConfigurationFiles.PollInsteadOfWatching();
var builder = WebApplication.CreateBuilder(args);
var settings = HostSettings.Load(builder.Configuration, builder.Environment);
builder.AddGorgiasIntegration(o =>
{
    o.Sandbox = settings.Sandbox;
    o.SandboxPath = HostSettings.SandboxPrefix;
});
var telemetry = HostTelemetry.Add(builder);
builder.Services.AddAdminPage(settings);

var app = builder.Build();

app.UseExceptionHandler();

// Problem details for error answers without a body, on every route but the browser's install routes: those answer each
// error with their own page, and the middleware costs every request a feature and an items dictionary (~0.4 KB).
app.UseWhen(context => !context.Request.Path.StartsWithSegments("/oauth"), api => api.UseStatusCodePages());
app.MapGorgiasIntegration(GorgiasAdminAccess.ApiKey(settings.AdminApiKey));
HostTelemetry.Map(app, telemetry);

app.MapGet("/", (Func<HttpContext, Task<IResult>>)(context => StartPage.RenderAsync(context, settings))).ExcludeFromDescription();
app.MapAdminPage();
app.MapGet("/favicon.ico", StartPage.Favicon).ExcludeFromDescription();
StartupLog.WhenStarted(app, settings, telemetry);

app.Run();

/// <summary>The Host's entry point, visible to WebApplicationFactory.</summary>
public partial class Program;
