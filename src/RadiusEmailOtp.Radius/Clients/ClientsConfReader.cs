namespace RadiusEmailOtp.Radius.Clients;

/// <summary>Walks the tokens of a clients.conf file, finds <c>client</c> sections and skips everything else.</summary>
internal sealed class ClientsConfReader
{
    private readonly List<ClientsConfToken> _tokens;
    private readonly string _file;
    private readonly List<ClientsConfError> _errors;
    private readonly List<ClientDefinition> _clients = [];
    private int _position;

    public ClientsConfReader(List<ClientsConfToken> tokens, string file, List<ClientsConfError> errors)
    {
        _tokens = tokens;
        _file = file;
        _errors = errors;
    }

    public List<ClientDefinition> Read()
    {
        // The top level is read like a section body that ends only at the end of the file.
        ReadBody(pairs: null, insideClient: false, isTopLevel: true);
        return _clients;
    }

    /// <summary>Reads statements until the closing brace; returns false when the file ended first.</summary>
    private bool ReadBody(List<(string Key, string Value, int Line)>? pairs, bool insideClient, bool isTopLevel)
    {
        while (_position < _tokens.Count)
        {
            var token = _tokens[_position];
            switch (token.Kind)
            {
                case ClientsConfTokenKind.CloseBrace:
                    _position++;
                    if (isTopLevel)
                    {
                        _errors.Add(new(_file, token.Line, "unbalanced '}' without a matching '{'"));
                        continue;
                    }

                    return true;
                case ClientsConfTokenKind.OpenBrace:
                    _position++;
                    _errors.Add(new(_file, token.Line, "'{' without a section name"));
                    ReadSection("", null, token.Line, insideClient);
                    continue;
                case ClientsConfTokenKind.Equals:
                    _position++;
                    _errors.Add(new(_file, token.Line, "'=' without a name before it"));
                    continue;
            }

            var next = Peek(1);
            if (next?.Kind == ClientsConfTokenKind.Equals)
            {
                var value = Peek(2);
                if (value is not { Kind: ClientsConfTokenKind.Word or ClientsConfTokenKind.Quoted } || value.Value.Line != token.Line)
                {
                    _errors.Add(new(_file, token.Line, $"'{token.Text}' has no value after '='"));
                    _position += 2;
                    continue;
                }

                pairs?.Add((token.Text, value.Value.Text, token.Line));
                _position += 3;
            }
            else if (next?.Kind == ClientsConfTokenKind.OpenBrace)
            {
                _position += 2;
                if (!ReadSection(token.Text, null, token.Line, insideClient))
                {
                    return false;
                }
            }
            else if (next is { Kind: ClientsConfTokenKind.Word or ClientsConfTokenKind.Quoted } && Peek(2)?.Kind == ClientsConfTokenKind.OpenBrace)
            {
                _position += 3;
                if (!ReadSection(token.Text, next.Value.Text, token.Line, insideClient))
                {
                    return false;
                }
            }
            else
            {
                _errors.Add(new(_file, token.Line, $"unexpected '{token.Text}', expected 'name = value' or 'section {{'"));
                _position++;
            }
        }

        return isTopLevel;
    }

    /// <summary>Reads a section after its '{'; returns false when the file ended before its '}'.</summary>
    private bool ReadSection(string kind, string? name, int line, bool insideClient)
    {
        var isClient = !insideClient && kind.Equals("client", StringComparison.OrdinalIgnoreCase);
        var pairs = isClient ? new List<(string Key, string Value, int Line)>() : null;

        // Sections nested in a client (e.g. "limit { ... }") are skipped; their pairs are not the client's.
        var closed = ReadBody(pairs, insideClient || isClient, isTopLevel: false);
        if (!closed)
        {
            var label = name is null ? kind : $"{kind} {name}";
            _errors.Add(new(_file, line, $"section '{label}' is missing its closing '}}'"));
            return false;
        }

        if (isClient)
        {
            if (name is null)
            {
                _errors.Add(new(_file, line, "client section has no name"));
            }
            else if (ClientDefinitionBuilder.TryBuild(name, pairs!, _file, line, _errors, out var client))
            {
                _clients.Add(client);
            }
        }

        return true;
    }

    private ClientsConfToken? Peek(int offset) =>
        _position + offset < _tokens.Count ? _tokens[_position + offset] : null;
}
