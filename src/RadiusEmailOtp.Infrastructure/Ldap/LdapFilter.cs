using System.Text;

namespace RadiusEmailOtp.Infrastructure.Ldap;

/// <summary>Builds search filters with RFC 4515 escaping, so a user name can never change the filter's structure.</summary>
internal static class LdapFilter
{
    /// <summary>Escapes an assertion value (RFC 4515 §3: '*', '(', ')', '\' and NUL become \XX).</summary>
    public static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            switch (c)
            {
                case '*':
                    builder.Append("\\2a");
                    break;
                case '(':
                    builder.Append("\\28");
                    break;
                case ')':
                    builder.Append("\\29");
                    break;
                case '\\':
                    builder.Append("\\5c");
                    break;
                case '\0':
                    builder.Append("\\00");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary><c>(&amp;FILTER(|(a1=login)(a2=login)))</c>: the configured filter and any of the login attributes.</summary>
    public static string ForLogin(string searchFilter, IReadOnlyList<string> loginAttributes, string login)
    {
        var escaped = Escape(login);
        var builder = new StringBuilder("(&").Append(searchFilter);
        if (loginAttributes.Count > 1)
        {
            builder.Append("(|");
        }

        foreach (var attribute in loginAttributes)
        {
            builder.Append('(').Append(attribute).Append('=').Append(escaped).Append(')');
        }

        if (loginAttributes.Count > 1)
        {
            builder.Append(')');
        }

        return builder.Append(')').ToString();
    }
}
