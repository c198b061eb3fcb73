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
    string AlreadySentPrompt,
    string RejectModeMessage,
    string SendFailedMessage,
    bool BindStateToClient)
{
    // The prompts end in ": " so that what the user types does not run on after the text (pam_radius, radiusplugin).
    public const string DefaultChallengePrompt = "Enter the code sent to ${email_masked}: ";
    public const string DefaultAlreadySentPrompt = "A code was already sent to ${email_masked}. Enter it: ";

    /// <summary>In reject mode there is no second round: the Reply-Message says what to do next.</summary>
    public const string DefaultRejectModeMessage = "A code was sent to ${email_masked}. Log in again with your PIN followed by the code.";
    public const string DefaultSendFailedMessage = "The code could not be sent by e-mail. Please try again later.";

    /// <summary>
    /// failcount_clear_timeout (LinOTP/privacyIDEA): a locked token unlocks itself this long after its last failure;
    /// zero = only <c>token reset</c> unlocks. Also the window of the per-NAS failure limit.
    /// </summary>
    public TimeSpan FailCountClearTimeout { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>At most this many mails per token in <see cref="MailWindow"/>, whatever the otppin mode (no mail bombing).</summary>
    public int MaxMailsPerWindow { get; init; } = 3;

    public TimeSpan MailWindow { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>
    /// autoenroll (LinOTP <c>autoenrollment=email</c>): a directory user with an address and no token who gets the
    /// directory password right is given a token on the first login.
    /// </summary>
    public bool AutoEnroll { get; init; }

    /// <summary>The defaults of issue 3 (prompts and send_wait as of issue 7).</summary>
    public static EmailTokenSettings Default { get; } = new(
        6,
        TimeSpan.FromSeconds(300),
        TimeSpan.FromSeconds(120),
        10,
        5,
        OtpPinMode.TokenPin,
        TimeSpan.FromSeconds(2),
        DefaultChallengePrompt,
        DefaultAlreadySentPrompt,
        DefaultRejectModeMessage,
        DefaultSendFailedMessage,
        true);
}
