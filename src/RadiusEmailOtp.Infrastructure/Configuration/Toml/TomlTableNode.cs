namespace RadiusEmailOtp.Infrastructure.Configuration.Toml;

/// <summary>A TOML table whose keys keep their order of appearance.</summary>
public sealed class TomlTableNode : TomlNode
{
    private readonly List<KeyValuePair<string, TomlNode>> _entries = [];
    private readonly Dictionary<string, TomlNode> _byKey = new(StringComparer.Ordinal);

    public TomlTableNode(int line)
        : base(line)
    {
    }

    public IReadOnlyList<KeyValuePair<string, TomlNode>> Entries => _entries;

    public override string TypeName => "table";

    public TomlNode? this[string key] => _byKey.GetValueOrDefault(key);

    public bool ContainsKey(string key) => _byKey.ContainsKey(key);

    internal void Set(string key, TomlNode node)
    {
        if (_byKey.TryAdd(key, node))
        {
            _entries.Add(new(key, node));
        }
    }
}
