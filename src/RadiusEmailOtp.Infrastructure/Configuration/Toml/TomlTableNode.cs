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
            return;
        }

        // Tomlyn's pull parser reports a table or an array of tables again each time its header reappears after
        // another table ([[client]] … [email_token] … [[client]], or [a] … [b] … [a.c]); TOML 1.0 makes them one.
        switch (_byKey[key], node)
        {
            case (TomlArrayNode existing, TomlArrayNode more):
                foreach (var item in more.Items)
                {
                    existing.Add(item);
                }

                break;
            case (TomlTableNode existing, TomlTableNode more):
                foreach (var (childKey, child) in more.Entries)
                {
                    existing.Set(childKey, child);
                }

                break;
        }
    }
}
