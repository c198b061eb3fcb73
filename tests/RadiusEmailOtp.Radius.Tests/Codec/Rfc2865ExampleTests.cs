using System.Net;
using System.Text;
using NUnit.Framework;

namespace RadiusEmailOtp.Radius.Tests.Codec;

/// <summary>The worked examples of RFC 2865 §7, byte for byte, with the secret "xyzzy5461".</summary>
/// <remarks>
/// The hex below follows the RFC as corrected by its errata (the §7.2 and §7.3 dumps); every Response Authenticator
/// is checked by recomputation here, so a typing error in a vector would fail these tests.
/// </remarks>
public sealed class Rfc2865ExampleTests
{
    // RFC 2865 §7.1: User Telnet to Specified Host, Access-Request.
    private static readonly byte[] s_telnetRequest = Hex.Bytes("""
        01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb
        98 f4 22 7a 01 06 6e 65 6d 6f 02 12 0d be 70 8d
        93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8
        01 10 05 06 00 00 00 03
        """);

    // RFC 2865 §7.1: the Access-Accept.
    private static readonly byte[] s_telnetAccept = Hex.Bytes("""
        02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf
        9b 55 e0 b2 06 06 00 00 00 01 0f 06 00 00 00 00
        0e 06 c0 a8 01 03
        """);

    // RFC 2865 §7.2: Framed User Authenticating with CHAP, Access-Request.
    private static readonly byte[] s_chapRequest = Hex.Bytes("""
        01 01 00 47 2a ee 86 f0 8d 0d 55 96 9c a5 97 8e
        0d 33 67 a2 01 08 66 6c 6f 70 73 79 03 13 16 e9
        75 57 c3 16 18 58 95 f2 93 ff 63 44 07 72 75 04
        06 c0 a8 01 10 05 06 00 00 00 14 06 06 00 00 00
        02 07 06 00 00 00 01
        """);

    // RFC 2865 §7.2: the Access-Accept.
    private static readonly byte[] s_chapAccept = Hex.Bytes("""
        02 01 00 38 15 ef bc 7d ab 26 cf a3 dc 34 d9 c0
        3c 86 01 a4 06 06 00 00 00 02 07 06 00 00 00 01
        08 06 ff ff ff fe 0a 06 00 00 00 02 0d 06 00 00
        00 01 0c 06 00 00 05 dc
        """);

    // RFC 2865 §7.3: User with Challenge-Response card, first Access-Request.
    private static readonly byte[] s_cardRequest = Hex.Bytes("""
        01 02 00 39 f3 a4 7a 1f 6a 6d 76 71 0b 94 7a b9
        30 41 a0 39 01 07 6d 6f 70 73 79 02 12 33 65 75
        73 77 82 89 b5 70 88 5e 15 08 48 25 c5 04 06 c0
        a8 01 10 05 06 00 00 00 07
        """);

    // RFC 2865 §7.3: the Access-Challenge.
    private static readonly byte[] s_cardChallenge = Hex.Bytes("""
        0b 02 00 4e 36 f3 c8 76 4a e8 c7 11 57 40 3c 0c
        71 ff 9c 45 12 30 43 68 61 6c 6c 65 6e 67 65 20
        33 32 37 36 39 34 33 30 2e 20 20 45 6e 74 65 72
        20 72 65 73 70 6f 6e 73 65 20 61 74 20 70 72 6f
        6d 70 74 2e 18 0a 33 32 37 36 39 34 33 30
        """);

    // RFC 2865 §7.3: the second Access-Request, answering the challenge and echoing State.
    private static readonly byte[] s_cardResponse = Hex.Bytes("""
        01 03 00 43 b1 22 55 6d 42 8a 13 d0 d6 25 38 07
        c4 57 ec f0 01 07 6d 6f 70 73 79 02 12 69 2c 1f
        20 5f c0 81 b9 19 b9 51 95 f5 61 a5 81 04 06 c0
        a8 01 10 05 06 00 00 00 07 18 0a 33 32 37 36 39
        34 33 30
        """);

    // RFC 2865 §7.3: the Access-Reject.
    private static readonly byte[] s_cardReject = Hex.Bytes("""
        03 03 00 14 a4 2f 4f ca 45 91 6c 4e 09 c8 34 0f
        9e 74 6a a0
        """);

    private static readonly byte[] s_secret = Encoding.ASCII.GetBytes("xyzzy5461");

    [Test]
    public void Telnet_request_parses_into_its_four_attributes()
    {
        var packet = Datagrams.Read(s_telnetRequest);

        Assert.That(packet.Code, Is.EqualTo(RadiusCode.AccessRequest));
        Assert.That(packet.Identifier, Is.EqualTo(0));
        Assert.That(Hex.Of(packet.Authenticator.Span), Is.EqualTo("0f403f9473978057bd83d5cb98f4227a"));
        Assert.That(packet.Attributes.Select(a => a.Type), Is.EqualTo(new byte[] { 1, 2, 4, 5 }));
        Assert.That(packet.GetString(RadiusAttributeType.UserName), Is.EqualTo("nemo"));
        Assert.That(new IPAddress(packet.Find(RadiusAttributeType.NasIpAddress)!.Value.Value.Span), Is.EqualTo(IPAddress.Parse("192.168.1.16")));
        Assert.That(Hex.Of(packet.Find(RadiusAttributeType.NasPort)!.Value.Value.Span), Is.EqualTo("00000003"));
        Assert.That(packet.Raw.ToArray(), Is.EqualTo(s_telnetRequest));
    }

    [Test]
    public void Telnet_request_password_unhides_to_arctangent()
    {
        var packet = Datagrams.Read(s_telnetRequest);
        var hidden = packet.Find(RadiusAttributeType.UserPassword)!.Value.Value.Span;

        var ok = UserPassword.TryUnhide(hidden, s_secret, packet.Authenticator.Span, out var password);

        Assert.That(ok, Is.True);
        Assert.That(Encoding.UTF8.GetString(password), Is.EqualTo("arctangent"));
    }

    [Test]
    public void Telnet_request_is_rebuilt_byte_for_byte()
    {
        var authenticator = s_telnetRequest.AsSpan(4, 16);
        var bytes = new RadiusPacketBuilder(RadiusCode.AccessRequest, 0)
            .AddString(RadiusAttributeType.UserName, "nemo")
            .Add(RadiusAttributeType.UserPassword, UserPassword.Hide("arctangent"u8, s_secret, authenticator))
            .Add(RadiusAttributeType.NasIpAddress, [192, 168, 1, 16])
            .AddUInt32(RadiusAttributeType.NasPort, 3)
            .BuildRequest(authenticator, s_secret, withMessageAuthenticator: false);

        Assert.That(Hex.Of(bytes), Is.EqualTo(Hex.Of(s_telnetRequest)));
    }

    [Test]
    public void Telnet_accept_response_authenticator_verifies()
    {
        var requestAuthenticator = s_telnetRequest.AsSpan(4, 16);

        Assert.That(ResponseAuthenticator.Verify(s_telnetAccept, requestAuthenticator, s_secret), Is.True);
        Assert.That(ResponseAuthenticator.Verify(s_telnetAccept, requestAuthenticator, "xyzzy5462"u8), Is.False);
    }

    [Test]
    public void Telnet_accept_is_reproduced_by_the_builder()
    {
        // Service-Type = Login, Login-Service = Telnet, Login-IP-Host = 192.168.1.3.
        var bytes = new RadiusPacketBuilder(RadiusCode.AccessAccept, 0)
            .AddUInt32(RadiusAttributeType.ServiceType, 1)
            .AddUInt32(15, 0)
            .Add(14, [192, 168, 1, 3])
            .BuildReply(s_telnetRequest.AsSpan(4, 16), s_secret, withMessageAuthenticator: false);

        Assert.That(Hex.Of(bytes), Is.EqualTo(Hex.Of(s_telnetAccept)));
    }

    [Test]
    public void Chap_request_parses_with_its_chap_identifier_and_response()
    {
        var packet = Datagrams.Read(s_chapRequest);

        Assert.That(packet.Identifier, Is.EqualTo(1));
        Assert.That(packet.GetString(RadiusAttributeType.UserName), Is.EqualTo("flopsy"));
        var chap = packet.Find(RadiusAttributeType.ChapPassword)!.Value.Value;
        Assert.That(chap.Length, Is.EqualTo(17));
        Assert.That(chap.Span[0], Is.EqualTo(0x16));
        Assert.That(packet.Attributes.Select(a => a.Type), Is.EqualTo(new byte[] { 1, 3, 4, 5, 6, 7 }));
        Assert.That(packet.Has(RadiusAttributeType.UserPassword), Is.False);
    }

    [Test]
    public void Chap_accept_response_authenticator_verifies_and_is_reproduced()
    {
        var requestAuthenticator = s_chapRequest.AsSpan(4, 16);
        var accept = Datagrams.Read(s_chapAccept);
        var builder = new RadiusPacketBuilder(RadiusCode.AccessAccept, 1);
        foreach (var attribute in accept.Attributes)
        {
            builder.Add(attribute.Type, attribute.Value.Span);
        }

        Assert.That(ResponseAuthenticator.Verify(s_chapAccept, requestAuthenticator, s_secret), Is.True);
        Assert.That(Hex.Of(builder.BuildReply(requestAuthenticator, s_secret, false)), Is.EqualTo(Hex.Of(s_chapAccept)));
    }

    [Test]
    public void Card_request_password_unhides_to_challenge()
    {
        var packet = Datagrams.Read(s_cardRequest);

        var ok = UserPassword.TryUnhide(
            packet.Find(RadiusAttributeType.UserPassword)!.Value.Value.Span, s_secret, packet.Authenticator.Span, out var password);

        Assert.That(ok, Is.True);
        Assert.That(Encoding.UTF8.GetString(password), Is.EqualTo("challenge"));
        Assert.That(packet.GetString(RadiusAttributeType.UserName), Is.EqualTo("mopsy"));
    }

    [Test]
    public void Card_challenge_carries_reply_message_and_state_and_verifies()
    {
        var challenge = Datagrams.Read(s_cardChallenge);

        Assert.That(challenge.Code, Is.EqualTo(RadiusCode.AccessChallenge));
        Assert.That(challenge.GetString(RadiusAttributeType.ReplyMessage), Is.EqualTo("Challenge 32769430.  Enter response at prompt."));
        Assert.That(challenge.GetString(RadiusAttributeType.State), Is.EqualTo("32769430"));
        Assert.That(ResponseAuthenticator.Verify(s_cardChallenge, s_cardRequest.AsSpan(4, 16), s_secret), Is.True);
    }

    [Test]
    public void Card_challenge_is_reproduced_by_the_builder()
    {
        var bytes = new RadiusPacketBuilder(RadiusCode.AccessChallenge, 2)
            .AddReplyMessage("Challenge 32769430.  Enter response at prompt.")
            .AddString(RadiusAttributeType.State, "32769430")
            .BuildReply(s_cardRequest.AsSpan(4, 16), s_secret, withMessageAuthenticator: false);

        Assert.That(Hex.Of(bytes), Is.EqualTo(Hex.Of(s_cardChallenge)));
    }

    [Test]
    public void Card_second_request_echoes_state_and_unhides_the_card_response()
    {
        var packet = Datagrams.Read(s_cardResponse);

        var ok = UserPassword.TryUnhide(
            packet.Find(RadiusAttributeType.UserPassword)!.Value.Value.Span, s_secret, packet.Authenticator.Span, out var password);

        Assert.That(ok, Is.True);
        Assert.That(Encoding.UTF8.GetString(password), Is.EqualTo("99101462"));
        Assert.That(packet.GetString(RadiusAttributeType.State), Is.EqualTo("32769430"));
    }

    [Test]
    public void Card_reject_response_authenticator_verifies_and_is_reproduced()
    {
        var requestAuthenticator = s_cardResponse.AsSpan(4, 16);
        var reject = Datagrams.Read(s_cardReject);

        Assert.That(reject.Attributes, Is.Empty);
        Assert.That(ResponseAuthenticator.Verify(s_cardReject, requestAuthenticator, s_secret), Is.True);
        Assert.That(
            Hex.Of(new RadiusPacketBuilder(RadiusCode.AccessReject, 3).BuildReply(requestAuthenticator, s_secret, false)),
            Is.EqualTo(Hex.Of(s_cardReject)));
    }
}
