using System.Text.RegularExpressions;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>Validates the <c>[store]</c> table into <see cref="StoreSettings"/>.</summary>
public static partial class StoreSettingsBinder
{
    public const int MaxNodeLength = 63;

    public static StoreSettings Bind(ConfigSection? section, ConfigDiagnostics diagnostics)
    {
        if (section is null)
        {
            return StoreSettings.Sqlite;
        }

        var kind = section.Choice("kind", "sqlite", "sqlite", "postgresql") == "postgresql" ? StoreKind.Postgresql : StoreKind.Sqlite;
        var node = ReadNode(section);
        PostgresConnectionString? connection = null;
        var text = section.String("connection");
        if (kind == StoreKind.Sqlite)
        {
            if (text is not null)
            {
                section.Error("connection", "is for kind = \"postgresql\"; the SQLite store lives in [server] data_dir");
            }
        }
        else if (string.IsNullOrWhiteSpace(text))
        {
            if (section.Has("connection"))
            {
                section.Error("connection", "must not be empty");
            }
            else
            {
                diagnostics.Error(section.Line, $"{section.Name}: connection is required with kind = \"postgresql\"");
            }
        }
        else
        {
            try
            {
                connection = PostgresConnectionString.Parse(text, diagnostics.ResolvePath);
            }
            catch (FormatException ex)
            {
                section.Error("connection", ex.Message);
            }
        }

        section.ReportUnknownKeys();
        return new StoreSettings(kind, connection, node);
    }

    /// <summary>The host name up to its first dot, when that is a valid node name; else "node".</summary>
    public static string DefaultNode()
    {
        var host = Environment.MachineName;
        try
        {
            host = System.Net.Dns.GetHostName();
        }
        catch (System.Net.Sockets.SocketException)
        {
            // MachineName it is.
        }

        var shortName = host.Split('.')[0];
        return IsValidNode(shortName) ? shortName : "node";
    }

    public static bool IsValidNode(string name) => name.Length <= MaxNodeLength && NodeName().IsMatch(name);

    private static string ReadNode(ConfigSection section)
    {
        var node = section.String("node");
        if (node is null)
        {
            return DefaultNode();
        }

        if (!IsValidNode(node))
        {
            section.Error("node", $"\"{node}\" is not a node name (1 to {MaxNodeLength} letters, digits, '.', '_' or '-', starting with a letter or digit)");
            return DefaultNode();
        }

        return node;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NodeName();
}
