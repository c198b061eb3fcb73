using RadiusEmailOtp.Infrastructure.Configuration.Toml;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>
/// Binds the realm map (issue 9): <c>[realms."example.com"]</c> tables with <c>resolvers</c> (asked in order, first match
/// wins) and an optional <c>otppin</c> that wins over <c>[email_token] otppin</c>. Realm names are normalised like
/// <see cref="RealmResolver"/> does with a User-Name's realm. Also warns where <c>otppin = "password"</c> or
/// <c>autoenroll</c> can have no effect.
/// </summary>
public static class RealmMapBinder
{
    public static IReadOnlyList<RealmEntry> Bind(
        ConfigSection top, ResolverNames resolverNames, RealmSettings realm, EmailTokenSettings emailToken, ConfigDiagnostics diagnostics)
    {
        var entries = new List<RealmEntry>();
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var realms = top.Section("realms");
        foreach (var (key, node) in realms?.Table.Entries ?? [])
        {
            var name = $"[realms.\"{key}\"]";
            if (node is not TomlTableNode table)
            {
                diagnostics.Error(node.Line, $"{name}: expected a table of resolvers and otppin, e.g. [realms.\"example.com\"] resolvers = [\"corp\", \"local\"]; found {node.TypeName}");
                continue;
            }

            var section = new ConfigSection(table, name, diagnostics);
            var resolvers = Resolvers(section, resolverNames);
            var otpPin = EmailTokenSettingsBinder.OtpPin(section);
            section.ReportUnknownKeys();

            var normalised = RealmResolver.NormaliseRealm(key);
            if (normalised.Length == 0)
            {
                diagnostics.Error(table.Line, $"{name}: the realm name must not be empty");
                continue;
            }

            if (lines.TryGetValue(normalised, out var first))
            {
                diagnostics.Error(table.Line, $"{name}: realm \"{normalised}\" already has an entry (line {first}); realm names are compared in lower case");
                continue;
            }

            lines[normalised] = table.Line;
            entries.Add(new RealmEntry(normalised, resolvers, otpPin));
            WarnIfPasswordHasNoEffect(section, entries[^1], emailToken);
        }

        WarnIfGlobalPasswordHasNoEffect(top, entries, realm, emailToken, diagnostics);
        WarnIfAutoEnrollHasNothingToDo(top, entries, emailToken, diagnostics);
        return entries;
    }

    // A missing list means the token table only; an empty one is more likely a mistake than that.
    private static List<string> Resolvers(ConfigSection section, ResolverNames known)
    {
        if (!section.Has("resolvers"))
        {
            _ = section.Node("resolvers");
            return [EmailToken.LocalResolver];
        }

        var result = new List<string>();
        var names = section.StringList("resolvers", []);
        if (section.Node("resolvers") is TomlArrayNode { Items.Count: 0 })
        {
            section.Error("resolvers", $"must name at least one resolver (known: {known}); leave the key out for only \"local\"");
        }

        foreach (var raw in names)
        {
            if (known.Find(raw) is not { } name)
            {
                section.Error("resolvers", $"\"{raw}\" is not a resolver (known: {known})");
            }
            else if (result.Contains(name, StringComparer.Ordinal))
            {
                section.Error("resolvers", $"\"{raw}\" is listed twice");
            }
            else
            {
                result.Add(name);
            }
        }

        return result.Count > 0 ? result : [EmailToken.LocalResolver];
    }

    private static bool OnlyLocal(RealmEntry entry) => entry.Resolvers.All(r => r == EmailToken.LocalResolver);

    private static void WarnIfPasswordHasNoEffect(ConfigSection section, RealmEntry entry, EmailTokenSettings emailToken)
    {
        if ((entry.OtpPin ?? emailToken.OtpPin) != OtpPinMode.Password || !OnlyLocal(entry))
        {
            return;
        }

        var from = entry.OtpPin is null ? "from [email_token]" : "set here";
        section.Warning(
            entry.OtpPin is null ? "resolvers" : "otppin",
            $"otppin = \"password\" ({from}) applies to realm \"{entry.Realm}\", whose only resolver is local: there is no directory password to check, so its users keep their token PIN");
    }

    private static void WarnIfGlobalPasswordHasNoEffect(
        ConfigSection top, List<RealmEntry> entries, RealmSettings realm, EmailTokenSettings emailToken, ConfigDiagnostics diagnostics)
    {
        if (emailToken.OtpPin != OtpPinMode.Password || entries.Any(e => e.Realm == realm.Default))
        {
            return;
        }

        var line = (top.Table["email_token"] as TomlTableNode)?["otppin"]?.Line ?? 0;
        var what = entries.Count == 0 ? "every realm (there is no [realms] entry)" : $"the default realm \"{realm.Default}\" and every other realm without a [realms] entry";
        diagnostics.Warning(
            line,
            $"[email_token] otppin: \"password\" applies to {what}, whose users are local ones: there is no directory password to check, so they keep their token PIN");
    }

    private static void WarnIfAutoEnrollHasNothingToDo(ConfigSection top, List<RealmEntry> entries, EmailTokenSettings emailToken, ConfigDiagnostics diagnostics)
    {
        if (!emailToken.AutoEnroll)
        {
            return;
        }

        var line = (top.Table["email_token"] as TomlTableNode)?["autoenroll"]?.Line ?? 0;
        var directory = entries.Where(e => !OnlyLocal(e)).ToList();
        if (directory.Count == 0)
        {
            diagnostics.Warning(line, "[email_token] autoenroll: no [realms] entry maps a realm to an LDAP resolver, so every user is a local one and nobody is auto-enrolled (local tokens are enrolled with `token enroll`)");
        }
        else if (!directory.Any(e => (e.OtpPin ?? emailToken.OtpPin) == OtpPinMode.Password))
        {
            diagnostics.Warning(line, $"[email_token] autoenroll: a token is given on a right directory password, which only otppin = \"password\" checks, and no realm with an LDAP resolver ({string.Join(", ", directory.Select(e => e.Realm))}) has it");
        }
    }
}
