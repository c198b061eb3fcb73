namespace RadiusEmailOtp.Otp.Storage;

/// <summary>
/// The store cannot be reached (the database server is down, unreachable or failing over, and a retry on a fresh
/// connection failed too): the request is answered with a Reject, and the caller logs it. The message says what failed
/// and where (host and port) and the cause; never a password or a connection string.
/// </summary>
public sealed class StoreUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
