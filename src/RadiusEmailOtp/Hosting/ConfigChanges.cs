using System.Text;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Infrastructure.Configuration.Toml;
using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Server;

namespace RadiusEmailOtp.Hosting;

/// <summary>
/// What a reload changes, by name, for the one log line that reports it, and the <c>[server]</c> keys that only a
/// restart applies (the sockets, the data directory and its lock, the dictionary, the request pipeline's knobs).
/// Clients are compared by their settings (they may come from a clients.conf); providers and policies by their TOML
/// tables, so a key added to either later is noticed without this file knowing it; realm map entries by realm. Nothing
/// outside <c>[server]</c> needs a restart: the realm map, otppin and autoenroll apply like the rest.
/// </summary>
internal sealed class ConfigChanges
{
    private readonly List<string> _parts = [];

    private ConfigChanges()
    {
    }

    /// <summary>The <c>[server]</c> keys whose new value is not applied, with the line of each in the new file.</summary>
    public List<(string Key, int Line)> NeedRestart { get; } = [];

    public bool Any => _parts.Count > 0;

    /// <summary>E.g. <c>clients added nas2, changed vpn; policies removed vip; email_token changed</c>, or "nothing changed".</summary>
    public string Summary => _parts.Count == 0 ? "nothing changed" : string.Join("; ", _parts);

    /// <summary>
    /// Compares the configuration in force (<paramref name="running"/>, with <paramref name="runningServer"/> the
    /// <c>[server]</c> values the process started with) to the new one.
    /// </summary>
    public static ConfigChanges Compute(
        AppConfig running, TomlTableNode? runningToml, ServerSettings runningServer, AppConfig next, TomlTableNode? nextToml)
    {
        var changes = new ConfigChanges();
        changes.CompareClients(running.Clients, next.Clients);
        changes.CompareTables("providers", runningToml, nextToml, "email_provider");
        changes.CompareTables("policies", runningToml, nextToml, "policy");
        if (!Equals(running.EmailToken, next.EmailToken))
        {
            changes._parts.Add("email_token changed");
        }

        if (!Equals(running.Realm, next.Realm))
        {
            changes._parts.Add("realm changed");
        }

        changes.CompareRealmMap(running.Realms, next.Realms);

        if (!Equals(running.Email, next.Email))
        {
            changes._parts.Add("email changed");
        }

        changes.CompareRestartKeys(runningServer, next.Server, nextToml?["server"] as TomlTableNode);
        if (!Equals(running.Store, next.Store))
        {
            // Another database or node name: the open store stays until a restart.
            changes.NeedRestart.Add(("[store]", nextToml?["store"]?.Line ?? 0));
        }

        return changes;
    }

    private void CompareClients(IReadOnlyList<ClientSettings> before, IReadOnlyList<ClientSettings> after)
    {
        // Keyed by network: that is what identifies a client to the server (and a name may be reused).
        var old = before.GroupBy(c => c.Network).ToDictionary(g => g.Key, g => g.First());
        var now = after.GroupBy(c => c.Network).ToDictionary(g => g.Key, g => g.First());
        var added = now.Values.Where(c => !old.ContainsKey(c.Network)).Select(c => c.Name).ToList();
        var removed = old.Values.Where(c => !now.ContainsKey(c.Network)).Select(c => c.Name).ToList();
        var changed = now.Values.Where(c => old.TryGetValue(c.Network, out var o) && !SameClient(o, c)).Select(c => c.Name).ToList();
        Report("clients", added, removed, changed);
    }

    // The realm map applies on reload like [realm]; only what changed is named.
    private void CompareRealmMap(IReadOnlyList<RealmEntry> before, IReadOnlyList<RealmEntry> after)
    {
        var old = before.ToDictionary(r => r.Realm, StringComparer.Ordinal);
        var now = after.ToDictionary(r => r.Realm, StringComparer.Ordinal);
        var added = now.Keys.Where(r => !old.ContainsKey(r)).ToList();
        var removed = old.Keys.Where(r => !now.ContainsKey(r)).ToList();
        var changed = now.Values
            .Where(r => old.TryGetValue(r.Realm, out var o) && (o.OtpPin != r.OtpPin || !o.Resolvers.SequenceEqual(r.Resolvers, StringComparer.Ordinal)))
            .Select(r => r.Realm)
            .ToList();
        Report("realms", added, removed, changed);
    }

    private static bool SameClient(ClientSettings a, ClientSettings b) =>
        a.Name == b.Name
        && ClientRegistry.KeepsLearnedState(a, b)
        && a.ChallengeMode == b.ChallengeMode
        && a.SendWait == b.SendWait
        && a.ReplyAttributes.SequenceEqual(b.ReplyAttributes);

    private void CompareTables(string what, TomlTableNode? before, TomlTableNode? after, string key)
    {
        var old = NamedTables(before, key);
        var now = NamedTables(after, key);
        var added = now.Keys.Where(n => !old.ContainsKey(n)).ToList();
        var removed = old.Keys.Where(n => !now.ContainsKey(n)).ToList();
        var changed = now.Where(p => old.TryGetValue(p.Key, out var o) && !SameNode(o, p.Value)).Select(p => p.Key).ToList();
        Report(what, added, removed, changed);
    }

    private void CompareRestartKeys(ServerSettings running, ServerSettings next, TomlTableNode? serverTable)
    {
        Check("listen", running.Listen.SequenceEqual(next.Listen));
        Check("listen_acct", running.ListenAcct.SequenceEqual(next.ListenAcct));
        Check("data_dir", running.DataDir == next.DataDir);
        Check("dictionary", running.Dictionary == next.Dictionary);
        Check("acct_log", running.AcctLog == next.AcctLog);
        Check("cleanup_delay", running.CleanupDelay == next.CleanupDelay);
        Check("reject_delay", running.RejectDelay == next.RejectDelay);
        Check("max_attributes", running.MaxAttributes == next.MaxAttributes);
        Check("max_request_time", running.MaxRequestTime == next.MaxRequestTime);

        void Check(string key, bool same)
        {
            if (!same)
            {
                NeedRestart.Add((key, serverTable?[key]?.Line ?? serverTable?.Line ?? 0));
            }
        }
    }

    private void Report(string what, List<string> added, List<string> removed, List<string> changed)
    {
        var text = new StringBuilder();
        Append("added", added);
        Append("removed", removed);
        Append("changed", changed);
        if (text.Length > 0)
        {
            _parts.Add($"{what} {text}");
        }

        void Append(string verb, List<string> names)
        {
            if (names.Count > 0)
            {
                text.Append(text.Length > 0 ? ", " : string.Empty).Append(verb).Append(' ').Append(string.Join(' ', names));
            }
        }
    }

    private static Dictionary<string, TomlTableNode> NamedTables(TomlTableNode? root, string key)
    {
        var tables = new Dictionary<string, TomlTableNode>(StringComparer.Ordinal);
        if (root?[key] is TomlArrayNode array)
        {
            foreach (var item in array.Items)
            {
                if (item is TomlTableNode table && table["name"] is TomlScalarNode { Value: string name })
                {
                    tables.TryAdd(name, table);
                }
            }
        }

        return tables;
    }

    /// <summary>Structural equality of two TOML values, lines ignored.</summary>
    private static bool SameNode(TomlNode a, TomlNode b) => (a, b) switch
    {
        (TomlScalarNode x, TomlScalarNode y) => x.Value.Equals(y.Value),
        (TomlArrayNode x, TomlArrayNode y) => x.Items.Count == y.Items.Count && x.Items.Zip(y.Items).All(p => SameNode(p.First, p.Second)),
        (TomlTableNode x, TomlTableNode y) => x.Entries.Count == y.Entries.Count
            && x.Entries.All(e => y[e.Key] is { } other && SameNode(e.Value, other)),
        _ => false,
    };
}
