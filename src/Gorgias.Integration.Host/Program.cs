var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/health", () => "ok");
app.Run();

/// <summary>The Host's entry point, visible to WebApplicationFactory.</summary>
public partial class Program;
