namespace RadiusLoadClient;

/// <summary>
/// An Access-Request to send: User-Name, clear-text User-Password (hidden on the wire) and an optional State; or,
/// with <see cref="StatusServer"/>, a Status-Server (RFC 5997) that only warms up the client's and server's code paths.
/// </summary>
internal sealed record RequestSpec(string User, byte[] Password, byte[]? State, bool StatusServer = false)
{
    public static RequestSpec Status { get; } = new(string.Empty, [], null, StatusServer: true);
}
