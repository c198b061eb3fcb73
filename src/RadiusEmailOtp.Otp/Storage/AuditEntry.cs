namespace RadiusEmailOtp.Otp.Storage;

/// <summary>
/// One admin action in the audit trail: who ran it, when, which command on which token. Never a PIN, a seed or an OTP.
/// </summary>
/// <param name="Time">When the command ran.</param>
/// <param name="User">The person: <c>SUDO_USER</c> when the command ran under sudo, else the OS account.</param>
/// <param name="OsUser">The OS account the command ran as (root under sudo).</param>
/// <param name="Action">The command, such as <c>token disable</c> or <c>restore</c>.</param>
/// <param name="Serial">The token changed, or null for an action on no one token (a restore).</param>
/// <param name="Detail">What else identifies the change (the new address, the user of a deleted token); may be empty.</param>
public sealed record AuditEntry(DateTimeOffset Time, string User, string OsUser, string Action, string? Serial, string Detail);
