namespace RadiusLoadClient;

/// <summary>What came back for one request.</summary>
internal enum ReplyOutcome
{
    Accept,
    Reject,
    Challenge,
    Other,
    Unanswered,
}
