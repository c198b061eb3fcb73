namespace RadiusEmailOtp.Infrastructure.Ldap;

/// <summary>One server of a resolver, <c>ldap://host[:port]</c> or <c>ldaps://host[:port]</c>.</summary>
public sealed record LdapUri(bool Ldaps, string Host, int Port)
{
    /// <summary>Parses an LDAP URI without DN, attributes or filter parts; false with the reason otherwise.</summary>
    public static bool TryParse(string text, out LdapUri? uri, out string error)
    {
        uri = null;
        error = string.Empty;
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var parsed) || parsed.Scheme is not ("ldap" or "ldaps"))
        {
            error = $"\"{text}\" is not an ldap:// or ldaps:// URI";
            return false;
        }

        if (parsed.AbsolutePath is not ("" or "/") || parsed.Query.Length > 0 || parsed.UserInfo.Length > 0 || parsed.Host.Length == 0)
        {
            error = $"\"{text}\": give only scheme, host and port (the base DN has its own key)";
            return false;
        }

        var ldaps = parsed.Scheme == "ldaps";
        var port = parsed.IsDefaultPort || parsed.Port < 0 ? (ldaps ? 636 : 389) : parsed.Port;
        uri = new LdapUri(ldaps, parsed.IdnHost, port);
        return true;
    }

    public override string ToString() =>
        $"{(Ldaps ? "ldaps" : "ldap")}://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}";
}
