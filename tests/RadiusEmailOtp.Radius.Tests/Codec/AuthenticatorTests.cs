using System.Security.Cryptography;
using NUnit.Framework;

namespace RadiusEmailOtp.Radius.Tests.Codec;

/// <summary>Message-Authenticator (RFC 3579 §3.2), Response Authenticator (RFC 2865 §3) and accounting-style Request Authenticator (RFC 2866 §3).</summary>
public sealed class AuthenticatorTests
{
    private static readonly byte[] s_requestAuthenticator = Datagrams.Authenticator(0x33);

    private static byte[] SignedRequest() =>
        new RadiusPacketBuilder(RadiusCode.AccessRequest, 17)
            .AddString(RadiusAttributeType.UserName, "alice")
            .Add(RadiusAttributeType.UserPassword, UserPassword.Hide("1234"u8, Datagrams.Secret, s_requestAuthenticator))
            .BuildRequest(s_requestAuthenticator, Datagrams.Secret, withMessageAuthenticator: true);

    private static byte[] SignedReply() =>
        new RadiusPacketBuilder(RadiusCode.AccessChallenge, 17)
            .AddReplyMessage("Enter the code we mailed you")
            .AddString(RadiusAttributeType.State, "challenge-1")
            .BuildReply(s_requestAuthenticator, Datagrams.Secret, withMessageAuthenticator: true);

    [Test]
    public void Request_message_authenticator_is_first_and_verifies()
    {
        var bytes = SignedRequest();
        var packet = Datagrams.Read(bytes);

        Assert.That(packet.Attributes[0].Type, Is.EqualTo(RadiusAttributeType.MessageAuthenticator));
        Assert.That(MessageAuthenticator.VerifyRequest(packet, Datagrams.Secret), Is.True);
    }

    [Test]
    public void Request_message_authenticator_matches_an_independent_hmac()
    {
        var bytes = SignedRequest();
        var zeroed = (byte[])bytes.Clone();
        Array.Clear(zeroed, 22, 16);

        Assert.That(bytes.AsSpan(22, 16).ToArray(), Is.EqualTo(HMACMD5.HashData(Datagrams.Secret, zeroed)));
    }

    [Test]
    public void Request_without_message_authenticator_does_not_verify()
    {
        var bytes = new RadiusPacketBuilder(RadiusCode.AccessRequest, 1)
            .AddString(RadiusAttributeType.UserName, "alice")
            .BuildRequest(s_requestAuthenticator, Datagrams.Secret, withMessageAuthenticator: false);

        Assert.That(MessageAuthenticator.VerifyRequest(Datagrams.Read(bytes), Datagrams.Secret), Is.False);
    }

    [Test]
    public void Every_single_bit_flip_breaks_the_request_message_authenticator()
    {
        var bytes = SignedRequest();
        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            if (RadiusPacketReader.TryRead(flipped, 200, out var packet) != RadiusDropReason.None)
            {
                continue;
            }

            Assert.That(MessageAuthenticator.VerifyRequest(packet!, Datagrams.Secret), Is.False, $"bit {bit}");
        }
    }

    [Test]
    public void Reply_message_authenticator_is_first_and_uses_the_request_authenticator()
    {
        var reply = SignedReply();

        Assert.That(reply[20], Is.EqualTo(RadiusAttributeType.MessageAuthenticator));
        Assert.That(reply[21], Is.EqualTo(18));
        Assert.That(MessageAuthenticator.VerifyReply(reply, s_requestAuthenticator, Datagrams.Secret), Is.True);
        Assert.That(MessageAuthenticator.VerifyReply(reply, Datagrams.Authenticator(0x34), Datagrams.Secret), Is.False);
    }

    [Test]
    public void Reply_message_authenticator_matches_an_independent_hmac()
    {
        var reply = SignedReply();
        var zeroed = (byte[])reply.Clone();
        s_requestAuthenticator.CopyTo(zeroed, 4);
        Array.Clear(zeroed, 22, 16);

        Assert.That(reply.AsSpan(22, 16).ToArray(), Is.EqualTo(HMACMD5.HashData(Datagrams.Secret, zeroed)));
    }

    [Test]
    public void Reply_response_authenticator_covers_the_final_message_authenticator()
    {
        var reply = SignedReply();
        var expected = (byte[])reply.Clone();
        s_requestAuthenticator.CopyTo(expected, 4);

        Assert.That(reply.AsSpan(4, 16).ToArray(), Is.EqualTo(MD5.HashData(Datagrams.Concat(expected, Datagrams.Secret))));
        Assert.That(ResponseAuthenticator.Verify(reply, s_requestAuthenticator, Datagrams.Secret), Is.True);
    }

    [Test]
    public void One_flipped_bit_fails_both_reply_checks()
    {
        var reply = SignedReply();
        reply[^1] ^= 0x01;

        Assert.That(MessageAuthenticator.VerifyReply(reply, s_requestAuthenticator, Datagrams.Secret), Is.False);
        Assert.That(ResponseAuthenticator.Verify(reply, s_requestAuthenticator, Datagrams.Secret), Is.False);
    }

    [Test]
    public void Flipped_message_authenticator_bit_fails_verification()
    {
        var reply = SignedReply();
        reply[30] ^= 0x40;

        Assert.That(MessageAuthenticator.VerifyReply(reply, s_requestAuthenticator, Datagrams.Secret), Is.False);
    }

    [Test]
    public void Reply_without_message_authenticator_or_with_garbage_does_not_verify()
    {
        var plain = new RadiusPacketBuilder(RadiusCode.AccessReject, 1).BuildReply(s_requestAuthenticator, Datagrams.Secret, false);

        Assert.That(MessageAuthenticator.VerifyReply(plain, s_requestAuthenticator, Datagrams.Secret), Is.False);
        Assert.That(MessageAuthenticator.VerifyReply(new byte[5], s_requestAuthenticator, Datagrams.Secret), Is.False);
        Assert.That(ResponseAuthenticator.Verify(new byte[5], s_requestAuthenticator, Datagrams.Secret), Is.False);
        Assert.That(ResponseAuthenticator.Verify(plain, new byte[3], Datagrams.Secret), Is.False);
    }

    [TestCase(RadiusCode.AccountingRequest)]
    [TestCase(RadiusCode.CoARequest)]
    [TestCase(RadiusCode.DisconnectRequest)]
    public void Accounting_style_request_authenticator_is_md5_over_zeros_and_verifies(RadiusCode code)
    {
        var bytes = new RadiusPacketBuilder(code, 5)
            .AddString(RadiusAttributeType.UserName, "alice")
            .AddUInt32(40, 1)
            .BuildAccountingStyleRequest(Datagrams.Secret);
        var zeroed = (byte[])bytes.Clone();
        Array.Clear(zeroed, 4, 16);

        Assert.That(bytes.AsSpan(4, 16).ToArray(), Is.EqualTo(MD5.HashData(Datagrams.Concat(zeroed, Datagrams.Secret))));
        Assert.That(RequestAuthenticator.VerifyAccountingStyle(bytes, Datagrams.Secret), Is.True);
        Assert.That(RequestAuthenticator.VerifyAccountingStyle(bytes, "other"u8), Is.False);
    }

    [Test]
    public void Accounting_style_request_with_a_flipped_bit_does_not_verify()
    {
        var bytes = new RadiusPacketBuilder(RadiusCode.AccountingRequest, 5).AddUInt32(40, 2).BuildAccountingStyleRequest(Datagrams.Secret);
        bytes[^1] ^= 0x08;

        Assert.That(RequestAuthenticator.VerifyAccountingStyle(bytes, Datagrams.Secret), Is.False);
        Assert.That(RequestAuthenticator.VerifyAccountingStyle(bytes[..10], Datagrams.Secret), Is.False);
    }

    [Test]
    public void Coa_request_message_authenticator_is_checked_over_a_zero_authenticator()
    {
        // RFC 5176 §3.3: in CoA and Disconnect requests the MA is computed with the Request Authenticator zeroed.
        var unsigned = Datagrams.Packet(
            (byte)RadiusCode.CoARequest,
            Datagrams.Attribute(RadiusAttributeType.MessageAuthenticator, 16, 0),
            Datagrams.Attribute(RadiusAttributeType.UserName, 3));
        var zeroed = (byte[])unsigned.Clone();
        Array.Clear(zeroed, 4, 16);
        HMACMD5.HashData(Datagrams.Secret, zeroed).CopyTo(unsigned, 22);

        Assert.That(MessageAuthenticator.VerifyRequest(Datagrams.Read(unsigned), Datagrams.Secret), Is.True);
    }
}
