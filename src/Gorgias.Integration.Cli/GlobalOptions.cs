using System.CommandLine;

namespace Gorgias.Integration.Cli;

/// <summary>The options every command takes (recursive): where the configuration comes from, and the output format.</summary>
internal sealed class GlobalOptions
{
    public Option<FileInfo?> Config { get; } = new("--config")
    {
        Description = "An extra JSON settings file, read after appsettings.json and the environment (it wins over both).",
        Recursive = true,
    };

    public Option<string?> ConnectionString { get; } = new("--connection-string")
    {
        Description = "Overrides ConnectionStrings:Integration (a SQLite 'Data Source=…' or a PostgreSQL 'Host=…;Database=…').",
        Recursive = true,
    };

    public Option<GorgiasStorage?> Storage { get; } = new("--storage")
    {
        Description = "Overrides Integration:Storage: Sqlite or PostgreSql.",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Writes one JSON document to stdout instead of tables (documented, stable shapes; never a token).",
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Options.Add(Config);
        root.Options.Add(ConnectionString);
        root.Options.Add(Storage);
        root.Options.Add(Json);
    }

    public CliSettings Read(ParseResult result) => new(
        result.GetValue(Config)?.FullName,
        result.GetValue(ConnectionString),
        result.GetValue(Storage),
        result.GetValue(Json));
}

/// <summary>The parsed global options.</summary>
internal sealed record CliSettings(string? ConfigFile, string? ConnectionString, GorgiasStorage? Storage, bool Json);
