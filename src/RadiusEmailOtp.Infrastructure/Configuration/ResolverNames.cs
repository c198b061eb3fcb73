using RadiusEmailOtp.Infrastructure.Configuration.Toml;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>
/// The resolver names a realm map or a policy may use: <c>local</c> and every <c>[[resolver]]</c> name as written
/// (compared case-insensitively, like the resolver binder does). Read from the tables themselves, so a resolver with an
/// error of its own is still known by name and its users get no second, misleading error.
/// </summary>
public sealed class ResolverNames
{
    private readonly List<string> _names = [EmailToken.LocalResolver];

    public ResolverNames(IReadOnlyList<ConfigSection> resolverSections)
    {
        foreach (var section in resolverSections)
        {
            if (section.Table["name"] is TomlScalarNode { Value: string raw } && raw.Trim() is { Length: > 0 } name && Find(name) is null)
            {
                _names.Add(name);
            }
        }
    }

    /// <summary>Every name, <c>local</c> first.</summary>
    public IReadOnlyList<string> All => _names;

    /// <summary>The name as the <c>[[resolver]]</c> spells it, or null when there is no such resolver.</summary>
    public string? Find(string name) =>
        _names.FirstOrDefault(n => string.Equals(n, name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>For messages: <c>local, corp, ad</c>.</summary>
    public override string ToString() => string.Join(", ", _names);
}
