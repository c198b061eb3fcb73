namespace RadiusEmailOtp.Infrastructure.Ldap;

/// <summary>One URI could not be used; <see cref="Exception.Message"/> is the cause as logged (never a password).</summary>
internal sealed class LdapUnavailableException(string cause) : Exception(cause);
