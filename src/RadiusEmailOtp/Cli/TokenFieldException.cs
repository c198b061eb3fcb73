namespace RadiusEmailOtp.Cli;

/// <summary>
/// A token field that breaks a rule of <see cref="TokenFieldRules"/>. The message names neither the option nor the
/// column (the caller adds which) and never holds a PIN.
/// </summary>
internal sealed class TokenFieldException(TokenField field, string message) : Exception(message)
{
    public TokenField Field { get; } = field;
}
