namespace RadiusEmailOtp.Cli;

/// <summary>
/// A token field that breaks a rule of <see cref="TokenFieldRules"/>. The message names neither the option nor the
/// column (the caller adds which) and never holds a PIN. Where the rule quotes the offending value, the template marks
/// it with <c>{value}</c>: <c>token enroll</c> shows the value the admin typed (<see cref="Exception.Message"/>), while
/// <c>token import</c> shows <see cref="MessageWithoutValue"/>, because in a file whose columns are shifted the cell
/// under "email" may well be somebody's PIN.
/// </summary>
internal sealed class TokenFieldException(TokenField field, string template, string? value = null)
    : Exception(value is null ? template : template.Replace("{value}", "\"" + value + "\"", StringComparison.Ordinal))
{
    public TokenField Field { get; } = field;

    /// <summary>The message with the offending value left out.</summary>
    public string MessageWithoutValue { get; } = template.Replace("{value}", "the value", StringComparison.Ordinal);
}
