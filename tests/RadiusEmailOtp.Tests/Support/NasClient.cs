using System.Text;
using RadiusEmailOtp.Radius;

namespace RadiusEmailOtp.Tests.Support;

/// <summary>
/// A NAS sending PAP logins from a chosen loopback source address; every reply is checked for a valid Response
/// Authenticator and Message-Authenticator before the test sees it.
/// </summary>
internal sealed class NasClient : IDisposable
{
    private readonly RawRadiusClient _client;
    private readonly byte[] _secret;
    private int _identifier;

    public NasClient(TestServer server, string secret, string bindAddress = "127.0.0.1")
    {
        _client = new RawRadiusClient(server.EndPoint, bindAddress);
        _secret = Encoding.UTF8.GetBytes(secret);
    }

    /// <summary>One Access-Request (User-Password, State when given) and its reply; throws when none comes in time.</summary>
    public async Task<RadiusPacket> LoginAsync(string user, string password, ReadOnlyMemory<byte> state = default, double timeoutSeconds = 10)
    {
        var authenticator = RawRadiusClient.NewAuthenticator();
        var id = (byte)Interlocked.Increment(ref _identifier);
        var request = RawRadiusClient.AccessRequest(id, authenticator, Encoding.UTF8.GetString(_secret), user, password, more: b =>
        {
            if (!state.IsEmpty)
            {
                b.Add(RadiusAttributeType.State, state.Span);
            }
        });
        var reply = await _client.ExchangeAsync(request, timeoutSeconds)
            ?? throw new TimeoutException($"no RADIUS reply for {user} within {timeoutSeconds} s");
        if (!ResponseAuthenticator.Verify(reply, authenticator, _secret) || !MessageAuthenticator.VerifyReply(reply, authenticator, _secret))
        {
            throw new InvalidOperationException("the reply is not signed with the client's secret");
        }

        if (RadiusPacketReader.TryRead(reply, 200, out var packet) != RadiusDropReason.None)
        {
            throw new InvalidOperationException("the reply does not parse");
        }

        return packet!;
    }

    public static string ReplyMessage(RadiusPacket packet) =>
        string.Concat(packet.FindAll(RadiusAttributeType.ReplyMessage).Select(a => Encoding.UTF8.GetString(a.Value.Span)));

    public static ReadOnlyMemory<byte> State(RadiusPacket packet) =>
        packet.Find(RadiusAttributeType.State)?.Value ?? throw new InvalidOperationException("the reply has no State");

    public void Dispose() => _client.Dispose();
}
