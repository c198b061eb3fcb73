using System.Net;

namespace RadiusEmailOtp.Radius.Clients;

/// <summary>One <c>client NAME { ... }</c> section of a clients.conf file.</summary>
/// <param name="Name">The section's name.</param>
/// <param name="Network">The client's address or network, host bits cleared.</param>
/// <param name="Secret">The shared secret.</param>
/// <param name="RequireMessageAuthenticator">"yes", "no" or "auto" in lower case, or null when not set.</param>
/// <param name="LimitProxyState">"yes", "no" or "auto" in lower case, or null when not set.</param>
/// <param name="ShortName">The <c>shortname</c>, or null.</param>
/// <param name="NasType">The <c>nas_type</c>, or null.</param>
/// <param name="File">The file the section is in.</param>
/// <param name="Line">The line the section starts on.</param>
public sealed record ClientDefinition(
    string Name,
    IPNetwork Network,
    string Secret,
    string? RequireMessageAuthenticator,
    string? LimitProxyState,
    string? ShortName,
    string? NasType,
    string File,
    int Line)
{
    /// <summary>Hides the secret so that logging a client never leaks it.</summary>
    public override string ToString() => $"client {Name} {{ {Network} }} ({File}:{Line})";
}
