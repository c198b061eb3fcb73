using System.Text;
using NUnit.Framework;

namespace RadiusEmailOtp.Radius.Tests.Codec;

/// <summary>The builder's layout rules: lengths, Reply-Message splitting, Message-Authenticator placement.</summary>
public sealed class RadiusPacketBuilderTests
{
    private static readonly byte[] s_requestAuthenticator = Datagrams.Authenticator(0x55);

    private static RadiusPacket BuildAndRead(RadiusPacketBuilder builder, bool withMessageAuthenticator = false) =>
        Datagrams.Read(builder.BuildReply(s_requestAuthenticator, Datagrams.Secret, withMessageAuthenticator));

    [Test]
    public void Value_of_253_octets_is_accepted_and_254_rejected()
    {
        var builder = new RadiusPacketBuilder(RadiusCode.AccessAccept, 1).Add(RadiusAttributeType.Class, new byte[253]);

        Assert.That(() => builder.Add(RadiusAttributeType.Class, new byte[254]), Throws.ArgumentException);
        Assert.That(builder.AttributesLength, Is.EqualTo(255));
    }

    [Test]
    public void Uint32_is_written_in_network_order()
    {
        var packet = BuildAndRead(new RadiusPacketBuilder(RadiusCode.AccessChallenge, 1).AddUInt32(RadiusAttributeType.SessionTimeout, 0x01020304));

        Assert.That(Hex.Of(packet.Find(RadiusAttributeType.SessionTimeout)!.Value.Value.Span), Is.EqualTo("01020304"));
    }

    [Test]
    public void Vendor_specific_uses_the_rfc_2865_layout()
    {
        var packet = BuildAndRead(new RadiusPacketBuilder(RadiusCode.AccessAccept, 1).AddVendorSpecific(14823, 2, "abc"u8));

        // RFC 2865 §5.26: Vendor-Id 14823, vendor type 2, vendor length 5, "abc".
        Assert.That(Hex.Of(packet.Find(RadiusAttributeType.VendorSpecific)!.Value.Value.Span), Is.EqualTo("000039e70205616263"));
        Assert.That(() => new RadiusPacketBuilder(RadiusCode.AccessAccept, 1).AddVendorSpecific(1, 1, new byte[248]), Throws.ArgumentException);
    }

    [Test]
    public void Short_reply_message_is_one_attribute()
    {
        var packet = BuildAndRead(new RadiusPacketBuilder(RadiusCode.AccessChallenge, 1).AddReplyMessage("Enter code"));

        Assert.That(packet.FindAll(RadiusAttributeType.ReplyMessage).Count(), Is.EqualTo(1));
        Assert.That(packet.GetString(RadiusAttributeType.ReplyMessage), Is.EqualTo("Enter code"));
    }

    [Test]
    public void Reply_message_of_exactly_253_octets_is_one_attribute_and_254_is_two()
    {
        var one = BuildAndRead(new RadiusPacketBuilder(RadiusCode.AccessChallenge, 1).AddReplyMessage(new string('x', 253)));
        var two = BuildAndRead(new RadiusPacketBuilder(RadiusCode.AccessChallenge, 1).AddReplyMessage(new string('x', 254)));

        Assert.That(one.FindAll(RadiusAttributeType.ReplyMessage).Select(a => a.Value.Length), Is.EqualTo(new[] { 253 }));
        Assert.That(two.FindAll(RadiusAttributeType.ReplyMessage).Select(a => a.Value.Length), Is.EqualTo(new[] { 253, 1 }));
    }

    [TestCase("é", 2)]
    [TestCase("€", 3)]
    [TestCase("😀", 4)]
    public void Reply_message_split_never_cuts_a_utf8_sequence(string character, int octets)
    {
        // 252 ASCII octets then multibyte characters: the first one would straddle octet 253.
        var text = new string('a', 252) + string.Concat(Enumerable.Repeat(character, 100));

        var pieces = BuildAndRead(new RadiusPacketBuilder(RadiusCode.AccessChallenge, 1).AddReplyMessage(text))
            .FindAll(RadiusAttributeType.ReplyMessage)
            .Select(a => a.Value.ToArray())
            .ToList();

        Assert.That(pieces[0], Has.Length.EqualTo(252));
        Assert.That(pieces.All(p => p.Length <= 253), Is.True);
        Assert.That(pieces.Skip(1).All(p => p.Length % octets == 0), Is.True);
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        Assert.That(pieces.Select(p => strict.GetString(p)), Has.All.Not.Null, "every piece decodes on its own");
        Assert.That(string.Concat(pieces.Select(p => strict.GetString(p))), Is.EqualTo(text));
    }

    [Test]
    public void Empty_reply_message_adds_nothing()
    {
        Assert.That(new RadiusPacketBuilder(RadiusCode.AccessReject, 1).AddReplyMessage("").AttributesLength, Is.Zero);
    }

    [Test]
    public void Message_authenticator_goes_before_every_added_attribute()
    {
        var packet = BuildAndRead(
            new RadiusPacketBuilder(RadiusCode.AccessAccept, 1)
                .AddString(RadiusAttributeType.ReplyMessage, "hi")
                .Add(RadiusAttributeType.ProxyState, [1, 2]),
            withMessageAuthenticator: true);

        Assert.That(packet.Attributes.Select(a => a.Type), Is.EqualTo(new byte[] { 80, 18, 33 }));
    }

    [Test]
    public void Packet_of_4096_octets_builds_and_4097_throws()
    {
        var builder = new RadiusPacketBuilder(RadiusCode.AccessAccept, 1);
        for (var i = 0; i < 15; i++)
        {
            builder.Add(RadiusAttributeType.Class, new byte[253]);
        }

        // 20 + 18 (MA) + 15·255 = 3863; 233 more octets reach 4096.
        builder.Add(RadiusAttributeType.Class, new byte[231]);
        Assert.That(builder.BuildReply(s_requestAuthenticator, Datagrams.Secret, true), Has.Length.EqualTo(4096));

        builder.Add(RadiusAttributeType.Class, []);
        Assert.That(() => builder.BuildReply(s_requestAuthenticator, Datagrams.Secret, true), Throws.InvalidOperationException);
        Assert.That(builder.BuildReply(s_requestAuthenticator, Datagrams.Secret, false), Has.Length.EqualTo(4080));
    }

    [Test]
    public void Bad_authenticator_lengths_are_rejected()
    {
        var builder = new RadiusPacketBuilder(RadiusCode.AccessAccept, 1);

        Assert.That(() => builder.BuildReply(new byte[15], Datagrams.Secret, true), Throws.ArgumentException);
        Assert.That(() => builder.BuildRequest(new byte[17], Datagrams.Secret, true), Throws.ArgumentException);
    }

    [Test]
    public void Header_holds_code_identifier_and_length()
    {
        var bytes = new RadiusPacketBuilder(RadiusCode.AccessChallenge, 0xAB)
            .AddString(RadiusAttributeType.State, "s")
            .BuildReply(s_requestAuthenticator, Datagrams.Secret, false);

        Assert.That(Hex.Of(bytes.AsSpan(0, 4)), Is.EqualTo("0bab0017"));
    }

    [Test]
    public void Proxy_states_copied_in_order_read_back_in_order()
    {
        var request = Datagrams.Read(Datagrams.AccessRequest(
            Datagrams.Attribute(RadiusAttributeType.ProxyState, 3, 1),
            Datagrams.Attribute(RadiusAttributeType.ProxyState, 4, 2)));
        var builder = new RadiusPacketBuilder(RadiusCode.AccessReject, request.Identifier);
        foreach (var proxyState in request.FindAll(RadiusAttributeType.ProxyState))
        {
            builder.Add(proxyState.Type, proxyState.Value.Span);
        }

        var reply = BuildAndRead(builder, withMessageAuthenticator: true);

        Assert.That(reply.FindAll(RadiusAttributeType.ProxyState).Select(a => Hex.Of(a.Value.Span)), Is.EqualTo(new[] { "010101", "02020202" }));
    }
}
