using System.Text;

namespace RadiusEmailOtp.Radius.Clients;

/// <summary>Splits FreeRADIUS configuration text into words, quoted strings, braces and '='.</summary>
internal static class ClientsConfLexer
{
    public static List<ClientsConfToken> Tokenize(string text, string fileName, List<ClientsConfError> errors)
    {
        var tokens = new List<ClientsConfToken>();
        var line = 1;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                i++;
            }
            else if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '{')
            {
                tokens.Add(new(ClientsConfTokenKind.OpenBrace, "{", line));
                i++;
            }
            else if (c == '}')
            {
                tokens.Add(new(ClientsConfTokenKind.CloseBrace, "}", line));
                i++;
            }
            else if (c == '=')
            {
                tokens.Add(new(ClientsConfTokenKind.Equals, "=", line));
                i++;
            }
            else if (c is '"' or '\'' or '`')
            {
                var start = line;
                var value = ReadQuoted(text, ref i, ref line, out var closed);
                if (!closed)
                {
                    errors.Add(new(fileName, start, $"unterminated {c}quoted{c} string"));
                    return tokens;
                }

                tokens.Add(new(ClientsConfTokenKind.Quoted, value, start));
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('{' or '}' or '=' or '#' or '"' or '\''))
                {
                    i++;
                }

                // "+=", ":=" and friends are assignments too; FreeRADIUS treats them like '=' in clients.
                var word = text[start..i];
                if (i < text.Length && text[i] == '=' && word is "+" or ":" or "-")
                {
                    tokens.Add(new(ClientsConfTokenKind.Equals, "=", line));
                    i++;
                    continue;
                }

                tokens.Add(new(ClientsConfTokenKind.Word, word, line));
            }
        }

        return tokens;
    }

    private static string ReadQuoted(string text, ref int i, ref int line, out bool closed)
    {
        var quote = text[i++];
        var builder = new StringBuilder();
        while (i < text.Length)
        {
            var c = text[i++];
            if (c == quote)
            {
                closed = true;
                return builder.ToString();
            }

            if (c == '\n')
            {
                line++;
            }

            if (c == '\\' && i < text.Length)
            {
                var next = text[i++];
                if (quote == '"')
                {
                    builder.Append(next switch
                    {
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        _ => next,
                    });
                }
                else if (next == quote || next == '\\')
                {
                    // Single-quoted strings keep backslashes except before the quote or another backslash.
                    builder.Append(next);
                }
                else
                {
                    builder.Append('\\').Append(next);
                }

                continue;
            }

            builder.Append(c);
        }

        closed = false;
        return builder.ToString();
    }
}
