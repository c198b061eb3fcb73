namespace RadiusEmailOtp.Cli;

/// <summary>What a <see cref="TokenField"/> is called on the command line and in an import file's header.</summary>
internal static class TokenFieldNames
{
    public static string Option(TokenField field) => "--" + Column(field).Replace('_', '-');

    public static string Column(TokenField field) => field switch
    {
        TokenField.User => "user",
        TokenField.Realm => "realm",
        TokenField.Email => "email",
        TokenField.Pin => "pin",
        TokenField.OtpLength => "otp_length",
        TokenField.Hash => "hash",
        _ => "description",
    };
}
