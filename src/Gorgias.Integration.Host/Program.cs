using Gorgias.Integration.Application;
using Gorgias.Integration.Host;
using Gorgias.Integration.Infrastructure;
using Gorgias.Integration.Infrastructure.Background;
using Gorgias.Integration.Sandbox;
using Gorgias.Integration.Web;
using Gorgias.Integration.Web.Logging;

var builder = WebApplication.CreateBuilder(args);
var settings = HostSettings.Load(builder.Configuration, builder.Environment);

builder.Logging.AddGorgiasLogRedaction();
builder.Services
    .AddGorgiasApplication()
    .AddGorgiasInfrastructure(builder.Configuration)
    .AddGorgiasBackgroundRefresh(builder.Configuration)
    .AddGorgiasWeb(builder.Configuration);
if (settings.Sandbox)
{
    builder.Services.AddGorgiasSandbox(o =>
    {
        o.ClientId = settings.Gorgias.ClientId;
        o.ClientSecret = settings.Gorgias.ClientSecret;
    });
}

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapGorgiasEndpoints(GorgiasAdminAccess.ApiKey(settings.AdminApiKey));
if (settings.Sandbox)
{
    app.MapGorgiasSandbox(HostSettings.SandboxPrefix);
}

app.MapGet("/", (HttpContext context) => StartPage.Render(context, settings)).ExcludeFromDescription();
app.MapGet("/favicon.ico", StartPage.Favicon).ExcludeFromDescription();
StartupLog.WhenStarted(app, settings);

app.Run();

/// <summary>The Host's entry point, visible to WebApplicationFactory.</summary>
public partial class Program;
