using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace RadiusEmailOtp.Logging;

/// <summary>
/// One JSON object per line: <c>time</c> (ISO 8601 with offset), <c>level</c>, <c>message</c>, <c>event_id</c>, then the
/// event's own fields from the <c>[LoggerMessage]</c> state in snake case (<c>user</c>, <c>client</c>, <c>reason</c>…).
/// No log call of ours takes a secret, so every field may be written.
/// </summary>
internal static class JsonLogFormat
{
    private static readonly JsonWriterOptions s_options = new()
    {
        // Log lines are not HTML: keep user names and addresses readable, only what JSON requires is escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly HashSet<string> s_reserved = new(StringComparer.Ordinal) { "time", "level", "message", "event_id", "category", "exception" };

    public static string Format(
        DateTimeOffset timestamp, LogLevel level, EventId eventId, string message, IReadOnlyList<KeyValuePair<string, object?>>? fields, Exception? exception)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            writer.WriteStartObject();
            writer.WriteString("time", timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture));
            writer.WriteString("level", LevelName(level));
            writer.WriteString("message", message);
            writer.WriteNumber("event_id", eventId.Id);
            if (fields is not null)
            {
                foreach (var (key, value) in fields)
                {
                    if (key == "{OriginalFormat}")
                    {
                        continue;
                    }

                    var name = SnakeCase(key);
                    WriteValue(writer, s_reserved.Contains(name) ? "field_" + name : name, value);
                }
            }

            if (exception is not null)
            {
                writer.WriteString("exception", $"{exception.GetType().Name}: {exception.Message}");
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        _ => "critical",
    };

    /// <summary>"ClientAddress" → "client_address", "User" → "user".</summary>
    internal static string SnakeCase(string key)
    {
        var builder = new StringBuilder(key.Length + 4);
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(key[i - 1]) || (i + 1 < key.Length && char.IsLower(key[i + 1]) && char.IsUpper(key[i - 1]))))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static void WriteValue(Utf8JsonWriter writer, string name, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNull(name);
                break;
            case string s:
                writer.WriteString(name, s);
                break;
            case bool b:
                writer.WriteBoolean(name, b);
                break;
            case int or long or short or byte or uint or ushort or sbyte:
                writer.WriteNumber(name, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                writer.WriteNumber(name, u);
                break;
            case double or float or decimal when double.IsFinite(Convert.ToDouble(value, CultureInfo.InvariantCulture)):
                writer.WriteNumber(name, Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case IFormattable formattable:
                writer.WriteString(name, formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteString(name, value.ToString());
                break;
        }
    }
}
