namespace RadiusEmailOtp.Infrastructure.Tests.Email;

internal enum ScriptedBehaviour
{
    Normal,
    Silent,
    DropAfterData,
    CloseFirstConnectionWhenIdle,
    DropAfterQueueingSecondMessage,
    DeferSecondMailFromOnFirstConnection,
}
