using System.Text;
using NUnit.Framework;

namespace RadiusEmailOtp.Radius.Tests.Codec;

/// <summary>The Status-Server examples of RFC 5997 §6, byte for byte, with the secret "xyzzy5461".</summary>
/// <remarks>Each vector is also checked by recomputing its Message-Authenticator and Response Authenticator.</remarks>
public sealed class Rfc5997ExampleTests
{
    // RFC 5997 §6.1: Minimal Query to Auth Port, Status-Server with Message-Authenticator.
    private static readonly byte[] s_authQuery = Hex.Bytes("""
        0c da 00 26 8a 54 f4 68 6f b3 94 c5 28 66 e3 02
        18 5d 06 23 50 12 5a 66 5e 2e 1e 84 11 f3 e2 43
        82 20 97 c8 4f a3
        """);

    // RFC 5997 §6.1: the Access-Accept answer (no attributes).
    private static readonly byte[] s_authAnswer = Hex.Bytes("""
        02 da 00 14 ef 0d 55 2a 4b f2 d6 93 ec 2b 6f e8
        b5 41 1d 66
        """);

    // RFC 5997 §6.2: Minimal Query to Accounting Port.
    private static readonly byte[] s_accountingQuery = Hex.Bytes("""
        0c b3 00 26 92 5f 6b 66 dd 5f ed 57 1f cb 1d b7
        ad 38 82 60 50 12 e8 d6 ea bd a9 10 87 5c d9 1f
        da de 26 36 78 58
        """);

    // RFC 5997 §6.2: the Accounting-Response answer.
    private static readonly byte[] s_accountingAnswer = Hex.Bytes("""
        05 b3 00 14 0f 6f 92 14 5f 10 7e 2f 50 4e 86 0a
        48 60 66 9c
        """);

    private static readonly byte[] s_secret = Encoding.ASCII.GetBytes("xyzzy5461");

    [Test]
    public void Auth_port_query_parses_as_status_server_with_one_message_authenticator()
    {
        var packet = Datagrams.Read(s_authQuery);

        Assert.That(packet.Code, Is.EqualTo(RadiusCode.StatusServer));
        Assert.That(packet.Identifier, Is.EqualTo(0xda));
        Assert.That(packet.Attributes, Has.Count.EqualTo(1));
        Assert.That(Hex.Of(packet.Find(RadiusAttributeType.MessageAuthenticator)!.Value.Value.Span), Is.EqualTo("5a665e2e1e8411f3e243822097c84fa3"));
    }

    [Test]
    public void Auth_port_query_message_authenticator_verifies()
    {
        var packet = Datagrams.Read(s_authQuery);

        Assert.That(MessageAuthenticator.VerifyRequest(packet, s_secret), Is.True);
        Assert.That(MessageAuthenticator.VerifyRequest(packet, "xyzzy5460"u8), Is.False);
    }

    [Test]
    public void Auth_port_query_is_rebuilt_byte_for_byte()
    {
        var bytes = new RadiusPacketBuilder(RadiusCode.StatusServer, 0xda)
            .BuildRequest(s_authQuery.AsSpan(4, 16), s_secret, withMessageAuthenticator: true);

        Assert.That(Hex.Of(bytes), Is.EqualTo(Hex.Of(s_authQuery)));
    }

    [Test]
    public void Auth_port_answer_is_reproduced_by_the_builder()
    {
        var bytes = new RadiusPacketBuilder(RadiusCode.AccessAccept, 0xda)
            .BuildReply(s_authQuery.AsSpan(4, 16), s_secret, withMessageAuthenticator: false);

        Assert.That(Hex.Of(bytes), Is.EqualTo(Hex.Of(s_authAnswer)));
        Assert.That(ResponseAuthenticator.Verify(s_authAnswer, s_authQuery.AsSpan(4, 16), s_secret), Is.True);
    }

    [Test]
    public void Auth_port_answer_with_message_authenticator_verifies_both_ways()
    {
        // The BlastRADIUS-era answer: same packet, Message-Authenticator first (RFC 5997 §3 allows it; radius-compat.md requires it).
        var bytes = new RadiusPacketBuilder(RadiusCode.AccessAccept, 0xda)
            .BuildReply(s_authQuery.AsSpan(4, 16), s_secret, withMessageAuthenticator: true);

        Assert.That(bytes, Has.Length.EqualTo(38));
        Assert.That(bytes[20], Is.EqualTo(RadiusAttributeType.MessageAuthenticator));
        Assert.That(MessageAuthenticator.VerifyReply(bytes, s_authQuery.AsSpan(4, 16), s_secret), Is.True);
        Assert.That(ResponseAuthenticator.Verify(bytes, s_authQuery.AsSpan(4, 16), s_secret), Is.True);
    }

    [Test]
    public void Accounting_port_query_verifies_and_its_answer_is_reproduced()
    {
        var query = Datagrams.Read(s_accountingQuery);
        var answer = new RadiusPacketBuilder(RadiusCode.AccountingResponse, 0xb3)
            .BuildReply(query.Authenticator.Span, s_secret, withMessageAuthenticator: false);

        Assert.That(MessageAuthenticator.VerifyRequest(query, s_secret), Is.True);
        Assert.That(Hex.Of(answer), Is.EqualTo(Hex.Of(s_accountingAnswer)));
    }
}
