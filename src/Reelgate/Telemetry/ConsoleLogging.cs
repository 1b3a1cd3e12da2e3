using Microsoft.Extensions.Logging.Console;
using Reelgate.Common;

namespace Reelgate.Telemetry;

/// <summary>
/// LOG_FORMAT picks the console's format: <c>json</c> (one object a line, with scopes, for a log collector; the default in
/// Production) or <c>plain</c> (one coloured line an entry, for a person at a terminal; the default elsewhere).
/// </summary>
public static class ConsoleLogging
{
    public const string FormatVariable = "LOG_FORMAT";

    public static ILoggingBuilder AddReelgateConsole(this ILoggingBuilder logging, IConfiguration configuration, IHostEnvironment environment)
    {
        logging.ClearProviders();
        var format = configuration[FormatVariable] is { Length: > 0 } chosen ? chosen.Trim().ToLowerInvariant() : environment.IsProduction() ? "json" : "plain";
        switch (format)
        {
            case "json":
                logging.AddJsonConsole(o =>
                {
                    o.IncludeScopes = true;
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
                });
                break;
            case "plain":
                logging.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "HH:mm:ss ";
                    o.ColorBehavior = LoggerColorBehavior.Default;
                });
                break;
            default:
                throw new ConfigurationException($"{FormatVariable}={configuration[FormatVariable]} is not a log format: use json (one JSON object a line) or plain (readable lines).");
        }
        return logging;
    }
}
