using System.Data.Common;
using Npgsql;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>
/// <c>[store] connection</c>: an Npgsql connection string plus two keys of ours, <c>Password_File=PATH</c> (the file is
/// read, a trailing newline trimmed; a relative path is against the config file's directory) and <c>Password_Env=VAR</c>;
/// a literal <c>Password=</c> works too, at most one of the three. <see cref="ToString"/> and <see cref="Redacted"/>
/// never hold the password; only <see cref="ConnectionString"/> does, for Npgsql.
/// </summary>
public sealed class PostgresConnectionString
{
    /// <summary>Npgsql's <c>Timeout</c> (seconds to open a connection) when the connection string does not set it.</summary>
    public const int DefaultConnectTimeoutSeconds = 3;

    private PostgresConnectionString(string connectionString, string redacted, string? passwordSource)
    {
        ConnectionString = connectionString;
        Redacted = redacted;
        PasswordSource = passwordSource;
    }

    /// <summary>What Npgsql gets, the password included: never log or print it.</summary>
    public string ConnectionString { get; }

    /// <summary>For logs and messages: <c>Host=…;Port=…;Database=…;Username=…</c>.</summary>
    public string Redacted { get; }

    /// <summary>Where the password came from, for messages (<c>Password_File /etc/…</c>, <c>Password_Env VAR</c>, <c>Password</c>), or null.</summary>
    public string? PasswordSource { get; }

    public override string ToString() => Redacted;

    public override bool Equals(object? obj) => obj is PostgresConnectionString other && other.ConnectionString == ConnectionString;

    public override int GetHashCode() => ConnectionString.GetHashCode(StringComparison.Ordinal);

    /// <summary>
    /// Parses <paramref name="text"/>; throws <see cref="FormatException"/> with a message that names the offending key
    /// or file but holds no password.
    /// </summary>
    public static PostgresConnectionString Parse(string text, Func<string, string> resolvePath)
    {
        var generic = new DbConnectionStringBuilder();
        try
        {
            generic.ConnectionString = text;
        }
        catch (ArgumentException)
        {
            throw new FormatException("is not a connection string of Key=Value pairs separated by ';' (quote a value holding ';' or '=' in double quotes)");
        }

        var builder = new NpgsqlConnectionStringBuilder();
        string? passwordFile = null;
        string? passwordEnv = null;
        var literalPassword = false;
        foreach (string key in generic.Keys)
        {
            var value = Convert.ToString(generic[key], System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            switch (Normalise(key))
            {
                case "passwordfile":
                    passwordFile = value;
                    continue;
                case "passwordenv":
                    passwordEnv = value;
                    continue;
                case "password" or "psw" or "pwd":
                    literalPassword = true;
                    break;
            }

            try
            {
                builder[key] = value;
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
            {
                // A known key with a value it cannot take, or a key Npgsql does not know; the value is not repeated (it may be a password).
                throw new FormatException(builder.ContainsKey(key)
                    ? $"\"{key}\" has an invalid value"
                    : $"unknown key \"{key}\" (Npgsql's keys, plus Password_File and Password_Env)");
            }
        }

        if ((passwordFile is not null ? 1 : 0) + (passwordEnv is not null ? 1 : 0) + (literalPassword ? 1 : 0) > 1)
        {
            throw new FormatException("give at most one of Password, Password_File and Password_Env");
        }

        string? source = literalPassword ? "Password" : null;
        if (passwordFile is not null)
        {
            builder.Password = ReadPasswordFile(resolvePath(passwordFile));
            source = $"Password_File {resolvePath(passwordFile)}";
        }
        else if (passwordEnv is not null)
        {
            var password = Environment.GetEnvironmentVariable(passwordEnv);
            if (string.IsNullOrEmpty(password))
            {
                throw new FormatException($"Password_Env: the environment variable \"{passwordEnv}\" is not set or empty");
            }

            builder.Password = password;
            source = $"Password_Env {passwordEnv}";
        }

        if (!generic.ContainsKey("timeout"))
        {
            // Npgsql waits 15 s for a connection; a NAS retransmits after about 5 s, so an unreachable host must fail sooner.
            builder.Timeout = DefaultConnectTimeoutSeconds;
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new FormatException("needs Host=… (one or more hosts separated by ',', or a Unix socket directory)");
        }

        return new PostgresConnectionString(builder.ConnectionString, Redact(builder), source);
    }

    private static string ReadPasswordFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // The exception message names the path and the cause, never the file's content.
            throw new FormatException($"Password_File \"{path}\" cannot be read: {ex.Message}");
        }

        var password = text.TrimEnd('\n').TrimEnd('\r');
        if (password.Length == 0)
        {
            throw new FormatException($"Password_File \"{path}\" is empty");
        }

        return password;
    }

    private static string Redact(NpgsqlConnectionStringBuilder builder)
    {
        var parts = new List<string> { $"Host={builder.Host}" };
        if (builder.Port != NpgsqlConnection.DefaultPort)
        {
            parts.Add($"Port={builder.Port}");
        }

        if (!string.IsNullOrEmpty(builder.Database))
        {
            parts.Add($"Database={builder.Database}");
        }

        if (!string.IsNullOrEmpty(builder.Username))
        {
            parts.Add($"Username={builder.Username}");
        }

        return string.Join(";", parts);
    }

    private static string Normalise(string key) => key.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
}
