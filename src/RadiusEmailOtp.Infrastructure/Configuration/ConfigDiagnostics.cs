namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>Collects every problem of a configuration file, so all of them are reported at once.</summary>
public sealed class ConfigDiagnostics
{
    private readonly List<ConfigDiagnostic> _items = [];

    public ConfigDiagnostics(string file)
    {
        File = file;
    }

    /// <summary>The file the line numbers refer to.</summary>
    public string File { get; }

    public IReadOnlyList<ConfigDiagnostic> Items => _items;

    public bool HasErrors => _items.Exists(d => d.IsError);

    public void Error(int line, string message) => _items.Add(new(File, line, true, message));

    public void Warning(int line, string message) => _items.Add(new(File, line, false, message));

    /// <summary>Records a problem that belongs to another file (an included clients.conf or dictionary).</summary>
    public void Add(ConfigDiagnostic diagnostic) => _items.Add(diagnostic);
}
