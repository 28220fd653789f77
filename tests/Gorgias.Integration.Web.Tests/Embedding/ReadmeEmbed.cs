using Microsoft.AspNetCore.Builder;

namespace Gorgias.Integration.Web.Tests.Embedding;

/// <summary>
/// The README's "Embed it" snippet, compiled: the lines between the markers must equal the README's code block (less its
/// <c>using</c> lines and <c>app.Run()</c>), which <see cref="EmbeddingTests"/> checks before it runs an install through it.
/// </summary>
internal static class ReadmeEmbed
{
    public static WebApplication Build(string[] args)
    {
        // readme-embed:start
        var builder = WebApplication.CreateBuilder(args);
        builder.AddGorgiasIntegration();
        var app = builder.Build();
        app.MapGorgiasIntegration(GorgiasAdminAccess.ApiKeyFromConfiguration);
        // readme-embed:end
        return app;
    }
}
