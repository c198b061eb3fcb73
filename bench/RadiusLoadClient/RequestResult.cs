namespace RadiusLoadClient;

/// <summary>One request's outcome; <see cref="LatencyTicks"/> is in Stopwatch ticks from send to receive.</summary>
internal readonly record struct RequestResult(ReplyOutcome Outcome, long LatencyTicks, byte[]? State, bool MessageAuthenticatorFirst);
