namespace RadiusEmailOtp.Infrastructure.Tests.Email;

internal enum ScriptedBehaviour
{
    Normal,
    Silent,
    DropAfterData,
    CloseFirstConnectionWhenIdle,
    DropAfterQueueingSecondMessage,
    DeferSecondMailFromOnFirstConnection,

    /// <summary>Reads each whole mail up to the final ".", counts it as queued, and hangs up without a reply.</summary>
    DropAfterFinalDot,
}
