namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>The token database or its key file cannot be used; the message says what to do. Never holds a secret.</summary>
public sealed class StorageException(string message, Exception? innerException = null) : Exception(message, innerException);
