namespace RadiusEmailOtp.Otp.Engine;

/// <summary>
/// The reasons of rejects that matter beyond the log line: which ones are failures a stranger can cause (and so count
/// toward the per-NAS failure limit), and the ones that must not.
/// </summary>
internal static class RejectReason
{
    public const string WrongPin = "wrong pin";
    public const string WrongOtp = "wrong otp";
    public const string WrongOtpNoChallenge = "wrong otp (no open challenge)";
    public const string Locked = "locked";
    public const string UnknownUser = "unknown user or no active token";
    public const string UnknownState = "unknown state";
    public const string NoActiveToken = "no active token";

    /// <summary>A correct code of a challenge already answered: a late or concurrent copy of the winning request.</summary>
    public const string AlreadyUsed = "otp already used";

    public const string TooManyFailures = "too many failures from this client";

    /// <summary>The realm's directory could not be asked (the resolver logs why, rate-limited); an outage counts against no one.</summary>
    public const string DirectoryUnavailable = "directory unavailable";

    /// <summary>A directory user's token has no fixed address and the directory holds none for the user.</summary>
    public const string NoAddress = "no e-mail address in the directory";

    /// <summary>
    /// Failures that count toward the per-NAS limit: the ones that raise a failcount, or would if the user existed. Not
    /// counted: a late copy of a winning answer, a State whose challenge closed or expired (only the user's own NAS holds
    /// that State), a locked token (it writes nothing, and the failures that locked it were counted), and the limit's own
    /// rejects (they would extend it forever).
    /// </summary>
    public static bool IsFailure(string reason) =>
        reason is WrongPin or WrongOtp or WrongOtpNoChallenge or UnknownUser or UnknownState or NoActiveToken;
}
