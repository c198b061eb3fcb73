namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>A finished, verified backup: the database copy, its key file and how many tokens it holds.</summary>
public sealed record BackupResult(string DatabasePath, string KeyPath, long Tokens);
