namespace RadiusEmailOtp.Otp.Users;

/// <summary>
/// A user as a resolver found it: <paramref name="Id"/> is the store's own key (an LDAP DN, or <c>user@realm</c> for
/// the token table), <paramref name="Login"/> the name tokens are stored under, <paramref name="Email"/> the first
/// address the store holds (null when it has none).
/// </summary>
public sealed record ResolvedUser(string Resolver, string Id, string Login, string? Email);
