using NUnit.Framework;

namespace RadiusEmailOtp.Radius.Tests.Codec;

/// <summary>Every packet rule of radius-compat.md, each with a crafted datagram.</summary>
public sealed class RadiusPacketReaderTests
{
    private static readonly byte[] s_userName = Datagrams.Attribute(RadiusAttributeType.UserName, 5);
    private static readonly byte[] s_messageAuthenticator = Datagrams.Attribute(RadiusAttributeType.MessageAuthenticator, 16, 0);
    private static readonly byte[] s_eap = Datagrams.Attribute(RadiusAttributeType.EapMessage, 5, 2);

    private static RadiusDropReason Read(byte[] datagram, int maxAttributes = RadiusPacketReader.DefaultMaxAttributes)
    {
        var reason = RadiusPacketReader.TryRead(datagram, maxAttributes, out var packet);
        Assert.That(packet is null, Is.EqualTo(reason != RadiusDropReason.None), "a packet comes back exactly when nothing is wrong");
        return reason;
    }

    [Test]
    public void Minimal_header_only_packet_is_accepted()
    {
        var datagram = Datagrams.AccessRequest();

        RadiusPacketReader.TryRead(datagram, 200, out var packet);

        Assert.That(packet, Is.Not.Null);
        Assert.That(packet!.Attributes, Is.Empty);
        Assert.That(packet.Raw.Length, Is.EqualTo(20));
        Assert.That(packet.Authenticator.ToArray(), Is.EqualTo(Datagrams.Authenticator(1)));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(19)]
    public void Datagram_shorter_than_the_header_is_too_short(int length)
    {
        var datagram = Datagrams.AccessRequest(s_userName)[..length];

        Assert.That(Read(datagram), Is.EqualTo(RadiusDropReason.TooShort));
    }

    [TestCase(0)]
    [TestCase(19)]
    [TestCase(4097)]
    [TestCase(0xFFFF)]
    public void Length_field_outside_20_to_4096_is_bad(int length)
    {
        var datagram = new byte[5000];
        datagram[0] = 1;
        datagram[2] = (byte)(length >> 8);
        datagram[3] = (byte)length;

        Assert.That(Read(datagram), Is.EqualTo(RadiusDropReason.BadLengthField));
    }

    [Test]
    public void Length_field_of_4096_is_accepted()
    {
        var attributes = Enumerable.Range(0, 15).Select(_ => Datagrams.Attribute(RadiusAttributeType.Class, 253)).ToList();
        attributes.Add(Datagrams.Attribute(RadiusAttributeType.Class, 4096 - 20 - (15 * 255) - 2));
        var datagram = Datagrams.AccessRequest(Datagrams.Concat([.. attributes]));

        Assert.That(datagram, Has.Length.EqualTo(4096));
        Assert.That(Read(datagram), Is.EqualTo(RadiusDropReason.None));
    }

    [Test]
    public void Datagram_shorter_than_its_length_field_is_truncated()
    {
        var datagram = Datagrams.AccessRequest(s_userName);

        Assert.That(Read(datagram[..^1]), Is.EqualTo(RadiusDropReason.TruncatedDatagram));
    }

    [Test]
    public void Datagram_longer_than_its_length_field_is_accepted_and_the_tail_ignored()
    {
        var packetBytes = Datagrams.AccessRequest(s_userName);
        var datagram = Datagrams.Concat(packetBytes, [0xFF, 0x00, 0x01, 0x02, 0x03]);

        RadiusPacketReader.TryRead(datagram, 200, out var packet);

        Assert.That(packet, Is.Not.Null);
        Assert.That(packet!.Raw.ToArray(), Is.EqualTo(packetBytes));
        Assert.That(packet.Attributes, Has.Count.EqualTo(1));
    }

    [Test]
    public void Raw_is_a_private_copy_of_the_receive_buffer()
    {
        var datagram = Datagrams.AccessRequest(s_userName);
        RadiusPacketReader.TryRead(datagram, 200, out var packet);

        Array.Fill(datagram, (byte)0xEE);

        Assert.That(packet!.GetString(RadiusAttributeType.UserName), Is.EqualTo("aaaaa"));
        Assert.That(packet.Code, Is.EqualTo(RadiusCode.AccessRequest));
    }

    [TestCase(0)]
    [TestCase(6)]
    [TestCase(10)]
    [TestCase(14)]
    [TestCase(39)]
    [TestCase(46)]
    [TestCase(255)]
    public void Unknown_code_is_dropped(byte code)
    {
        Assert.That(RadiusPacketReader.IsKnownCode(code), Is.False);
        Assert.That(Read(Datagrams.Packet(code, s_userName)), Is.EqualTo(RadiusDropReason.UnknownCode));
    }

    [Test]
    public void Every_enum_code_is_known_and_nothing_else()
    {
        var known = Enumerable.Range(0, 256).Where(c => RadiusPacketReader.IsKnownCode((byte)c)).Select(c => (RadiusCode)c);

        Assert.That(known, Is.EquivalentTo(Enum.GetValues<RadiusCode>()));
    }

    [Test]
    public void Attribute_running_past_the_length_field_overruns()
    {
        var attribute = Datagrams.Attribute(RadiusAttributeType.UserName, 5);
        attribute[1] = 8;

        Assert.That(Read(Datagrams.AccessRequest(attribute)), Is.EqualTo(RadiusDropReason.AttributeOverrun));
    }

    [Test]
    public void Single_trailing_octet_overruns()
    {
        Assert.That(Read(Datagrams.AccessRequest(Datagrams.Concat(s_userName, [1]))), Is.EqualTo(RadiusDropReason.AttributeOverrun));
    }

    [Test]
    public void Overrun_is_judged_against_the_length_field_not_the_datagram()
    {
        // The attribute fits in the datagram only if the ignored tail is counted.
        var packetBytes = Datagrams.AccessRequest([RadiusAttributeType.UserName, 6, 0x61, 0x62]);
        var datagram = Datagrams.Concat(packetBytes, [0x63, 0x64]);

        Assert.That(Read(datagram), Is.EqualTo(RadiusDropReason.AttributeOverrun));
    }

    [TestCase(0)]
    [TestCase(1)]
    public void Attribute_length_below_two_is_too_short(byte length)
    {
        Assert.That(Read(Datagrams.AccessRequest(s_userName, [RadiusAttributeType.State, length, 0, 0])), Is.EqualTo(RadiusDropReason.AttributeTooShort));
    }

    [Test]
    public void Attribute_type_zero_is_dropped()
    {
        Assert.That(Read(Datagrams.AccessRequest(Datagrams.Attribute(0, 3))), Is.EqualTo(RadiusDropReason.AttributeTypeZero));
    }

    [Test]
    public void Empty_attribute_is_ignored_not_kept()
    {
        var datagram = Datagrams.AccessRequest(Datagrams.Concat([RadiusAttributeType.State, 2], s_userName, [RadiusAttributeType.Class, 2]));

        RadiusPacketReader.TryRead(datagram, 200, out var packet);

        Assert.That(packet, Is.Not.Null);
        Assert.That(packet!.Attributes.Select(a => a.Type), Is.EqualTo(new[] { RadiusAttributeType.UserName }));
        Assert.That(packet.Has(RadiusAttributeType.State), Is.False);
        Assert.That(packet.Raw.Length, Is.EqualTo(datagram.Length));
    }

    [Test]
    public void Two_hundred_attributes_are_accepted()
    {
        var datagram = Datagrams.AccessRequest(Datagrams.Concat([.. Enumerable.Repeat(Datagrams.Attribute(RadiusAttributeType.Class, 1), 200)]));

        RadiusPacketReader.TryRead(datagram, 200, out var packet);

        Assert.That(packet!.Attributes, Has.Count.EqualTo(200));
    }

    [Test]
    public void Two_hundred_and_one_attributes_are_too_many()
    {
        var datagram = Datagrams.AccessRequest(Datagrams.Concat([.. Enumerable.Repeat(Datagrams.Attribute(RadiusAttributeType.Class, 1), 201)]));

        Assert.That(Read(datagram, 200), Is.EqualTo(RadiusDropReason.TooManyAttributes));
        Assert.That(Read(datagram, 201), Is.EqualTo(RadiusDropReason.None));
        Assert.That(Read(datagram, 0), Is.EqualTo(RadiusDropReason.None), "zero means no limit, as in FreeRADIUS");
    }

    [Test]
    public void Empty_attributes_count_against_max_attributes_like_freeradius()
    {
        var datagram = Datagrams.AccessRequest(Datagrams.Concat([.. Enumerable.Repeat(new byte[] { RadiusAttributeType.Class, 2 }, 201)]));

        Assert.That(Read(datagram, 200), Is.EqualTo(RadiusDropReason.TooManyAttributes));
    }

    [TestCase(0)]
    [TestCase(15)]
    [TestCase(17)]
    public void Message_authenticator_not_eighteen_octets_is_dropped(int valueLength)
    {
        var datagram = Datagrams.AccessRequest(Datagrams.Attribute(RadiusAttributeType.MessageAuthenticator, valueLength, 0));

        Assert.That(Read(datagram), Is.EqualTo(RadiusDropReason.BadMessageAuthenticatorLength));
    }

    [Test]
    public void Two_message_authenticators_are_dropped()
    {
        var datagram = Datagrams.AccessRequest(s_messageAuthenticator, s_userName, s_messageAuthenticator);

        Assert.That(Read(datagram), Is.EqualTo(RadiusDropReason.DuplicateMessageAuthenticator));
    }

    [Test]
    public void Eap_message_without_message_authenticator_is_dropped()
    {
        Assert.That(Read(Datagrams.AccessRequest(s_userName, s_eap)), Is.EqualTo(RadiusDropReason.EapWithoutMessageAuthenticator));
    }

    [Test]
    public void Eap_message_with_message_authenticator_is_accepted()
    {
        Assert.That(Read(Datagrams.AccessRequest(s_messageAuthenticator, s_userName, s_eap, s_eap)), Is.EqualTo(RadiusDropReason.None));
    }

    [TestCase(RadiusAttributeType.UserPassword)]
    [TestCase(RadiusAttributeType.ChapPassword)]
    public void Eap_message_with_a_password_is_dropped(byte passwordType)
    {
        var datagram = Datagrams.AccessRequest(s_messageAuthenticator, Datagrams.Attribute(passwordType, 16), s_eap);

        Assert.That(Read(datagram), Is.EqualTo(RadiusDropReason.EapWithPassword));
    }

    [Test]
    public void Attributes_keep_wire_order_and_repeat()
    {
        var datagram = Datagrams.AccessRequest(
            Datagrams.Attribute(RadiusAttributeType.ProxyState, 1, 1),
            s_userName,
            Datagrams.Attribute(RadiusAttributeType.ProxyState, 2, 2));
        var packet = Datagrams.Read(datagram);

        var proxyStates = packet.FindAll(RadiusAttributeType.ProxyState).Select(a => Hex.Of(a.Value.Span));

        Assert.That(packet.Attributes.Select(a => a.Type), Is.EqualTo(new byte[] { 33, 1, 33 }));
        Assert.That(proxyStates, Is.EqualTo(new[] { "01", "0202" }));
        Assert.That(packet.Find(RadiusAttributeType.ProxyState)!.Value.Value.Length, Is.EqualTo(1));
        Assert.That(packet.Find(RadiusAttributeType.Class), Is.Null);
        Assert.That(packet.GetString(RadiusAttributeType.Class), Is.Null);
    }

    [Test]
    public void Vendor_specific_attributes_round_trip_byte_identically()
    {
        // RFC 2865 §5.26: VSAs are kept raw, including a non-standard layout the codec must not touch.
        var odd = new byte[] { 0x00, 0x00, 0x01, 0x37, 0xFF, 0x01, 0x02 };
        var built = new RadiusPacketBuilder(RadiusCode.AccessAccept, 9)
            .AddVendorSpecific(9, 1, "shell:priv-lvl=15"u8)
            .Add(RadiusAttributeType.VendorSpecific, odd)
            .AddVendorSpecific(311, 16, new byte[247])
            .BuildReply(Datagrams.Authenticator(3), Datagrams.Secret, withMessageAuthenticator: true);
        var packet = Datagrams.Read(built);

        var rebuilt = new RadiusPacketBuilder(packet.Code, packet.Identifier);
        foreach (var attribute in packet.Attributes.Where(a => a.Type != RadiusAttributeType.MessageAuthenticator))
        {
            rebuilt.Add(attribute.Type, attribute.Value.Span);
        }

        var again = rebuilt.BuildReply(Datagrams.Authenticator(3), Datagrams.Secret, withMessageAuthenticator: true);
        Assert.That(Hex.Of(again), Is.EqualTo(Hex.Of(built)));
        Assert.That(Hex.Of(packet.Attributes[1].Value.Span[..6]), Is.EqualTo("000000090113"));
        Assert.That(packet.Attributes[2].Value.ToArray(), Is.EqualTo(odd));
    }

    [Test]
    public void Dropped_datagrams_allocate_nothing_and_accepted_ones_only_the_copy_and_the_list()
    {
        var dropped = Datagrams.AccessRequest(s_userName, s_eap);
        var accepted = Datagrams.AccessRequest(s_userName, s_messageAuthenticator, s_userName);
        RadiusPacketReader.TryRead(dropped, 200, out _);
        RadiusPacketReader.TryRead(accepted, 200, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            RadiusPacketReader.TryRead(dropped, 200, out _);
        }

        var afterDropped = GC.GetAllocatedBytesForCurrentThread();
        RadiusPacketReader.TryRead(accepted, 200, out _);
        var afterAccepted = GC.GetAllocatedBytesForCurrentThread();

        Assert.That(afterDropped - before, Is.Zero);

        // A 64-octet copy, a three-element attribute array and the packet object: well under 400 bytes.
        Assert.That(afterAccepted - afterDropped, Is.LessThan(400));
    }
}
