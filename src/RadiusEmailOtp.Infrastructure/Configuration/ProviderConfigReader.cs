using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using RadiusEmailOtp.Infrastructure.Configuration.Toml;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>
/// Turns a provider's <c>config</c> value into a <see cref="ConfigSection"/>: either a TOML table, or the JSON string
/// an admin pastes from LinOTP. JSON values become TOML scalars on the line of the <c>config</c> key, so the typed
/// getters (and their errors) work the same for both spellings.
/// </summary>
internal static partial class ProviderConfigReader
{
    // A single-quoted key ('KEY':) or value (: 'value'), also when other entries use double quotes.
    private static readonly Regex s_singleQuoted = SingleQuoted();

    public static ConfigSection? Read(ConfigSection owner, string key)
    {
        var name = $"{owner.Name} {key}";
        switch (owner.Node(key))
        {
            case null:
                return null;
            case TomlTableNode table:
                return new ConfigSection(table, name, owner.Diagnostics);
            case TomlScalarNode { Value: string text } scalar:
                var parsed = FromJson(text, scalar.Line, owner, key);
                return parsed is null ? null : new ConfigSection(parsed, name, owner.Diagnostics);
            case var other:
                owner.Error(key, $"expected a table or a JSON string, found {other.TypeName}");
                return null;
        }
    }

    private static TomlTableNode? FromJson(string text, int line, ConfigSection owner, string key)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            // LinOTP's documentation warns about the same mistake: Python-style single quotes are not JSON.
            owner.Error(key, s_singleQuoted.IsMatch(text)
                ? "the JSON config uses single quotes; JSON needs double quotes, e.g. { \"SMTP_SERVER\": \"mail.example.com\" }"
                : $"is not valid JSON ({ex.Message}); use double quotes around keys and values");
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                owner.Error(key, "the JSON config must be an object { \"KEY\": \"value\", ... }");
                return null;
            }

            var table = new TomlTableNode(line);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                object? value = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Number when property.Value.TryGetInt64(out var l) => l,
                    JsonValueKind.Number => property.Value.GetDouble(),
                    JsonValueKind.Null => null,
                    _ => property.Value.ValueKind,
                };
                if (value is JsonValueKind kind)
                {
                    owner.Error(key, $"{property.Name}: expected a string, number or boolean, found a JSON {kind.ToString().ToLower(CultureInfo.InvariantCulture)}");
                }
                else if (value is not null)
                {
                    table.Set(property.Name, new TomlScalarNode(value, line));
                }
            }

            return table;
        }
    }

    [GeneratedRegex(@"[{,]\s*'[^'\n]*'\s*:|:\s*'[^'\n]*'\s*[,}]")]
    private static partial Regex SingleQuoted();
}
