using RadiusEmailOtp.Otp.Realms;

namespace RadiusEmailOtp.Otp.Storage;

/// <summary>
/// The outcome of <see cref="IOtpStore.ImportTokensAsync"/>. Only a result with no <see cref="ExistingUsers"/> and no
/// <see cref="TakenSerials"/> was committed; any other wrote nothing.
/// </summary>
/// <param name="Imported">How many tokens were written.</param>
/// <param name="Skipped">How many tokens were left out because their user already had a token (when skipping existing users).</param>
/// <param name="ExistingUsers">The users who already had a token, when not skipping them; then nothing was written.</param>
/// <param name="TakenSerials">
/// Serials already in use (in the store, or twice in the batch); then nothing was written, and the caller gives those
/// tokens fresh serials and imports again.
/// </param>
public sealed record TokenImportResult(int Imported, int Skipped, IReadOnlyList<UserIdentity> ExistingUsers, IReadOnlyList<string> TakenSerials)
{
    /// <summary>True when the tokens were written.</summary>
    public bool Committed => ExistingUsers.Count == 0 && TakenSerials.Count == 0;
}
