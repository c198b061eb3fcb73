namespace RadiusEmailOtp.Radius.Clients;

/// <summary>Reads the <c>client</c> sections of a FreeRADIUS v3 clients.conf file.</summary>
public static class ClientsConfParser
{
    /// <summary>Reads and parses a clients.conf file; a missing or unreadable file is reported as an error at line 0.</summary>
    public static ClientsConfResult Parse(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new ClientsConfResult([], [new ClientsConfError(path, 0, $"cannot read clients file: {ex.Message}")]);
        }

        return ParseText(text, path);
    }

    /// <summary>Parses clients.conf text; <paramref name="fileName"/> is only used in errors and in the clients' File.</summary>
    public static ClientsConfResult ParseText(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var errors = new List<ClientsConfError>();
        var tokens = ClientsConfLexer.Tokenize(text, fileName, errors);
        var clients = new ClientsConfReader(tokens, fileName, errors).Read();
        return new ClientsConfResult(clients, errors);
    }
}
