using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace Gorgias.Integration.Cli;

/// <summary>
/// Where a command's answer goes: tables and lines for a person (Spectre.Console), or one JSON document for a script
/// (<c>--json</c>). The answer is on stdout; errors are on stderr, and with <c>--json</c> also on stdout as
/// <c>{"error":{"code":…,"message":…}}</c> so a script always has a document to read.
/// </summary>
internal sealed class CliOutput
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private readonly TextWriter _out;
    private readonly TextWriter _error;

    public CliOutput(TextWriter output, TextWriter error, bool json, bool interactive)
    {
        _out = output;
        _error = error;
        Json = json;
        Interactive = interactive && !json;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!interactive)
        {
            // Redirected output has no terminal width; a narrow default would wrap every table cell.
            Console.Profile.Width = 200;
        }
    }

    /// <summary>True for <c>--json</c>.</summary>
    public bool Json { get; }

    /// <summary>True when stdout is a terminal and the output is for a person: the only case a progress bar is drawn.</summary>
    public bool Interactive { get; }

    /// <summary>The human output (stdout).</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Writes <paramref name="document"/> as the one JSON answer.</summary>
    public void WriteJson<T>(T document) => _out.WriteLine(JsonSerializer.Serialize(document, JsonOptions));

    /// <summary>A plain line for a person.</summary>
    public void Line(string text) => Console.Write(new Text(text + Environment.NewLine));

    /// <summary>Reports a failure: on stderr, and as a JSON error document with <c>--json</c>. Returns <paramref name="exitCode"/>.</summary>
    public int Fail(string code, string message, int exitCode = ExitCodes.Failed)
    {
        _error.WriteLine(message);
        if (Json)
        {
            WriteJson(new { error = new { code, message } });
        }

        return exitCode;
    }
}
