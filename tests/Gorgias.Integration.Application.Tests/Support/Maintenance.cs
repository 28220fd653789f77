using Gorgias.Integration.Testing;

namespace Gorgias.Integration.Application.Tests.Support;

/// <summary>Gorgias scenarios these tests share, scripted on a <see cref="ScriptableGorgias"/>.</summary>
public static class Maintenance
{
    /// <summary>
    /// A Gorgias that cannot revoke (or do anything else): every route answers 503 with an HTML page, or, with
    /// <paramref name="hang"/>, only once the fake is disposed (so a caller's timeout fires first).
    /// </summary>
    public static async Task<ScriptableGorgias> StartAsync(bool hang = false) =>
        (await ScriptableGorgias.StartAsync()).Otherwise(ScriptedAnswer.Text(503, "<html>maintenance</html>") with { Hold = hang });
}
