using Gorgias.Integration;      // AddGorgiasIntegration, MapGorgiasIntegration
using Gorgias.Integration.Web;  // GorgiasAdminAccess

var builder = WebApplication.CreateBuilder(args);
builder.AddGorgiasIntegration();
var app = builder.Build();
app.MapGorgiasIntegration(GorgiasAdminAccess.ApiKeyFromConfiguration);

// The app's own page: in Gorgias, "Connect App" opens /oauth/install?account=…; here a link stands in for it.
app.MapGet("/", () => Results.Content(
    """
    <!doctype html><title>Sample app</title>
    <h1>A sample app on Gorgias.Integration</h1>
    <p><a href="/oauth/install?account=acme">Install into the sandbox account acme</a></p>
    """,
    "text/html"));

app.Run();
