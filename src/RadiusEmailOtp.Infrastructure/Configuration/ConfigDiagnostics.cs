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

    /// <summary>The directory relative paths in the file are resolved against: the file's own, not the working directory.</summary>
    public string BaseDirectory => Path.GetDirectoryName(Path.GetFullPath(File))!;

    /// <summary>
    /// <paramref name="path"/> made absolute against <see cref="BaseDirectory"/> (as FreeRADIUS's raddb paths are), so a
    /// service started from any directory, or a test, reads the same files; an absolute path is kept as written.
    /// </summary>
    public string ResolvePath(string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(BaseDirectory, path));

    public IReadOnlyList<ConfigDiagnostic> Items => _items;

    public bool HasErrors => _items.Exists(d => d.IsError);

    public void Error(int line, string message) => _items.Add(new(File, line, true, message));

    public void Warning(int line, string message) => _items.Add(new(File, line, false, message));

    /// <summary>Records a problem that belongs to another file (an included clients.conf or dictionary).</summary>
    public void Add(ConfigDiagnostic diagnostic) => _items.Add(diagnostic);
}
