namespace RadiusEmailOtp.Infrastructure.Configuration.Toml;

/// <summary>A TOML array, or an array of tables (<c>[[name]]</c>).</summary>
public sealed class TomlArrayNode : TomlNode
{
    private readonly List<TomlNode> _items = [];

    public TomlArrayNode(int line)
        : base(line)
    {
    }

    public IReadOnlyList<TomlNode> Items => _items;

    public override string TypeName => "array";

    internal void Add(TomlNode node) => _items.Add(node);
}
