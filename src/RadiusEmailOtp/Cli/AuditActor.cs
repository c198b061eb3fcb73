using RadiusEmailOtp.Otp.Storage;

namespace RadiusEmailOtp.Cli;

/// <summary>Who runs an admin command, for its audit record.</summary>
internal static class AuditActor
{
    /// <summary>
    /// A record of <paramref name="action"/> now, by the person running it: <c>SUDO_USER</c> when set (sudo puts the
    /// invoking user there), else the OS account. The account itself (root under sudo) is kept beside it, because
    /// <c>SUDO_USER</c> is only an environment variable that anyone can set for their own commands.
    /// </summary>
    public static AuditEntry Entry(string action, string detail = "")
    {
        var osUser = Environment.UserName;
        var sudoUser = Environment.GetEnvironmentVariable("SUDO_USER")?.Trim();
        var user = string.IsNullOrEmpty(sudoUser) ? osUser : sudoUser;
        return new AuditEntry(TimeProvider.System.GetUtcNow(), user, osUser, action, null, detail);
    }
}
