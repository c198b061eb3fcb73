namespace RadiusEmailOtp.Otp.Engine;

/// <summary>The validated <c>[email_token]</c> table (LinOTP names in the config comments).</summary>
public sealed record EmailTokenSettings(
    int OtpLength,
    TimeSpan ChallengeValidity,
    TimeSpan BlockingTimeout,
    int MaxFail,
    int MaxAttemptsPerChallenge,
    OtpPinMode OtpPin,
    TimeSpan SendWait,
    string ChallengePrompt,
    string AlreadySentMessage,
    string SendFailedMessage,
    bool BindStateToClient)
{
    public const string DefaultChallengePrompt = "Enter the one-time code sent to ${email_masked}";
    public const string DefaultAlreadySentMessage = "e-mail with otp already submitted";
    public const string DefaultSendFailedMessage = "The code could not be sent by e-mail. Please try again later.";

    /// <summary>The defaults of issue 3.</summary>
    public static EmailTokenSettings Default { get; } = new(
        6,
        TimeSpan.FromSeconds(300),
        TimeSpan.FromSeconds(120),
        10,
        5,
        OtpPinMode.TokenPin,
        TimeSpan.FromSeconds(3),
        DefaultChallengePrompt,
        DefaultAlreadySentMessage,
        DefaultSendFailedMessage,
        true);
}
