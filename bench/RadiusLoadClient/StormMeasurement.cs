namespace RadiusLoadClient;

/// <summary>A storm's figures: the answered requests (elapsed up to the last reply), how long sending took, and the sender's worst lag behind schedule.</summary>
internal sealed record StormMeasurement(StepMeasurement Answered, TimeSpan SendElapsed, TimeSpan MaxSendLag);
