using Tomlyn.Parsing;

namespace RadiusEmailOtp.Infrastructure.Configuration.Toml;

/// <summary>
/// Reads TOML text into a tree of <see cref="TomlNode"/>s that remember their lines.
/// Tomlyn's pull parser gives a line for every key; its syntax errors become diagnostics.
/// </summary>
public static class TomlDocumentReader
{
    /// <summary>Parses <paramref name="text"/>; on a syntax error returns null and adds the error to <paramref name="diagnostics"/>.</summary>
    public static TomlTableNode? Read(string text, ConfigDiagnostics diagnostics)
    {
        var parser = TomlParser.Create(text, new TomlParserOptions { Mode = TomlParserMode.Tolerant });
        TomlTableNode? root = null;
        if (parser.MoveNext() && parser.Current.Kind == TomlParseEventKind.StartDocument && parser.MoveNext())
        {
            root = ReadValue(parser, line: 1) as TomlTableNode;
        }

        if (parser.HasErrors)
        {
            foreach (var diagnostic in parser.Diagnostics)
            {
                diagnostics.Error(diagnostic.Span.Start.Line + 1, diagnostic.Message);
            }

            return null;
        }

        return root ?? new TomlTableNode(1);
    }

    // Consumes the value that starts at parser.Current, leaving the parser on its last event.
    private static TomlNode? ReadValue(TomlParser parser, int line)
    {
        var current = parser.Current;
        switch (current.Kind)
        {
            case TomlParseEventKind.StartTable:
                var table = new TomlTableNode(line);
                while (parser.MoveNext() && parser.Current.Kind == TomlParseEventKind.PropertyName)
                {
                    var key = parser.GetPropertyName();
                    var keyLine = parser.Current.Line;
                    if (!parser.MoveNext())
                    {
                        return table;
                    }

                    var child = ReadValue(parser, keyLine);
                    if (child is not null)
                    {
                        table.Set(key, child);
                    }
                }

                return table;
            case TomlParseEventKind.StartArray:
                var array = new TomlArrayNode(line);
                while (parser.MoveNext() && parser.Current.Kind != TomlParseEventKind.EndArray)
                {
                    // Tables inside [[arrays]] carry no line of their own; use their first key's line.
                    var item = ReadValue(parser, parser.Current.Line == 0 ? line : parser.Current.Line);
                    if (item is TomlTableNode itemTable && itemTable.Entries.Count > 0)
                    {
                        itemTable.Line = itemTable.Entries[0].Value.Line;
                    }

                    if (item is not null)
                    {
                        array.Add(item);
                    }
                }

                return array;
            case TomlParseEventKind.String:
                return new TomlScalarNode(parser.GetString(), line);
            case TomlParseEventKind.Integer:
                return new TomlScalarNode(current.GetInt64(), line);
            case TomlParseEventKind.Float:
                return new TomlScalarNode(current.GetDouble(), line);
            case TomlParseEventKind.Boolean:
                return new TomlScalarNode(current.GetBoolean(), line);
            case TomlParseEventKind.DateTime:
                return new TomlScalarNode(current.GetTomlDateTime().ToString() ?? string.Empty, line);
            default:
                return null;
        }
    }
}
