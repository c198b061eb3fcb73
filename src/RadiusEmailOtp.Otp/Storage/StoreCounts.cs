namespace RadiusEmailOtp.Otp.Storage;

/// <summary>The store's gauges for monitoring: challenges open and unexpired now, tokens locked (failcount at max_fail).</summary>
public sealed record StoreCounts(long OpenChallenges, long LockedTokens);
