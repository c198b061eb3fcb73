using NUnit.Framework;
using RadiusEmailOtp.Radius.Dictionary;
using RadiusEmailOtp.Radius.Replies;
using RadiusEmailOtp.Radius.Tests.Codec;
using RadiusEmailOtp.Radius.Tests.Dictionary;

namespace RadiusEmailOtp.Radius.Tests.Replies;

/// <summary>Each dictionary type a reply attribute can have, encoded to the octets it takes on the wire.</summary>
[TestFixture]
public sealed class ReplyAttributeTemplateTests
{
    private static RadiusDictionary s_project = null!;
    private static RadiusDictionary s_types = null!;
    private static TempDirectory s_directory = null!;

    [OneTimeSetUp]
    public void LoadDictionaries()
    {
        s_project = RadiusDictionary.Load(RepositoryPaths.Dictionary);
        s_directory = new TempDirectory();
        // Types our RFC dictionaries do not use in reply attributes, and a vendor with 2-octet type and length fields.
        s_types = RadiusDictionary.Load(s_directory.Write("dictionary", """
            ATTRIBUTE	Test-Byte	200	byte
            ATTRIBUTE	Test-Short	201	short
            ATTRIBUTE	Test-Signed	202	signed
            ATTRIBUTE	Test-Integer64	203	integer64
            ATTRIBUTE	Test-Ether	204	ether
            ATTRIBUTE	Test-Bool	205	bool
            ATTRIBUTE	Test-V4-Prefix	206	ipv4prefix
            ATTRIBUTE	Test-Combo	207	combo-ip
            ATTRIBUTE	Test-Fixed	208	octets[4]
            ATTRIBUTE	Test-Abinary	209	abinary
            VENDOR	Wide	4242	format=2,2
            BEGIN-VENDOR	Wide
            ATTRIBUTE	Wide-Name	300	string
            END-VENDOR	Wide
            VENDOR	NoLength	4343	format=4,0
            BEGIN-VENDOR	NoLength
            ATTRIBUTE	NoLength-Name	7	string
            END-VENDOR	NoLength
            """));
    }

    [OneTimeTearDown]
    public void DeleteDirectory() => s_directory.Dispose();

    private static string Wire(RadiusDictionary dictionary, string text, string user = "alice", string realm = "example.com")
    {
        var template = ReplyAttributeTemplate.Parse(dictionary, text, out var error);
        Assert.That(error, Is.Null, text);
        Assert.That(template!.TryRender(user, realm, out var attribute, out var renderError), Is.True, renderError);
        return Hex.Of([attribute.Type, (byte)(attribute.Value.Length + 2), .. attribute.Value.Span]);
    }

    // RFC 2865 §5.25 Class is octets: a quoted value is its UTF-8 text, 0x is hex.
    [TestCase("Class = \"OU=vpn;\"", "19094f553d76706e3b")]
    [TestCase("Class = 0x0102ff", "19050102ff")]
    [TestCase("Filter-Id = \"staff\"", "0b077374616666")] // §5.11 string
    [TestCase("Filter-Id = staff", "0b077374616666")] // a bare word is a string too
    [TestCase("Session-Timeout = 3600", "1b0600000e10")] // §5.27 integer
    [TestCase("Session-Timeout = 0x10", "1b0600000010")]
    [TestCase("Service-Type = Framed-User", "060600000002")] // §5.6: a VALUE name of the dictionary
    [TestCase("service-type = framed-user", "060600000002")] // names ignore case, as in FreeRADIUS
    [TestCase("Framed-IP-Address = 10.8.0.5", "08060a080005")] // §5.8 ipaddr
    [TestCase("Login-IPv6-Host = 2001:db8::1", "621220010db8000000000000000000000001")] // RFC 3162 §2.4 ipv6addr
    [TestCase("Framed-IPv6-Prefix = 2001:db8:1::/48", "610a003020010db80001")] // RFC 3162 §2.3: reserved, length, 6 octets
    [TestCase("Framed-Interface-Id = 0:0:0:1", "600a0000000000000001")] // RFC 3162 §2.2 ifid
    [TestCase("Event-Timestamp = 2027-01-01T00:00:00Z", "37066b36ec80")] // RFC 2869 §5.3 date
    [TestCase("Event-Timestamp = 1", "370600000001")]
    [TestCase("Reply-Message = \"Welcome, \\\"${user}\\\"\"", "121257656c636f6d652c2022616c69636522")]
    public void Standard_attribute_is_encoded_by_its_type(string text, string hex)
    {
        Assert.That(Wire(s_project, text), Is.EqualTo(hex));
    }

    [TestCase("Test-Byte = 255", "c803ff")]
    [TestCase("Test-Short = 443", "c90401bb")]
    [TestCase("Test-Signed = -1", "ca06ffffffff")]
    [TestCase("Test-Integer64 = 4294967296", "cb0a0000000100000000")]
    [TestCase("Test-Ether = 00:11:22:aa:bb:cc", "cc08001122aabbcc")]
    [TestCase("Test-Ether = 00-11-22-AA-BB-CC", "cc08001122aabbcc")]
    [TestCase("Test-Bool = yes", "cd0301")]
    [TestCase("Test-V4-Prefix = 10.1.0.0/16", "ce0800100a010000")]
    [TestCase("Test-Combo = 192.0.2.1", "cf06c0000201")]
    [TestCase("Test-Combo = ::1", "cf1200000000000000000000000000000001")]
    [TestCase("Test-Fixed = 0xdeadbeef", "d006deadbeef")]
    public void Other_types_are_encoded_as_rfc_8044_says(string text, string hex)
    {
        Assert.That(Wire(s_types, text), Is.EqualTo(hex));
    }

    [Test]
    public void Cisco_avpair_is_a_vendor_specific_attribute_of_vendor_9()
    {
        // RFC 2865 §5.26: Type 26, Length, Vendor-Id 9, Vendor type 1, Vendor length (2 + 17), "shell:priv-lvl=15".
        Assert.That(Wire(s_project, "Cisco-AVPair = \"shell:priv-lvl=15\""), Is.EqualTo(
            "1a19" + "00000009" + "0113" + Hex.Of("shell:priv-lvl=15"u8)));
    }

    [Test]
    public void Fortinet_group_name_fills_in_the_realm()
    {
        Assert.That(Wire(s_project, "Fortinet-Group-Name = \"${realm}-vpn\"", realm: "corp"), Is.EqualTo(
            "1a10" + "00003044" + "010a" + Hex.Of("corp-vpn"u8)));
    }

    [Test]
    public void Vendor_with_two_octet_type_and_length_fields_gets_them_wide()
    {
        // format=2,2: Vendor type 300 in two octets, Vendor length (2 + 2 + 2) in two.
        Assert.That(Wire(s_types, "Wide-Name = hi"), Is.EqualTo("1a0c" + "00001092" + "012c" + "0006" + "6869"));
    }

    [Test]
    public void Vendor_without_a_length_field_gets_none()
    {
        Assert.That(Wire(s_types, "NoLength-Name = hi"), Is.EqualTo("1a0c" + "000010f7" + "00000007" + "6869"));
    }

    // RFC 2868 §3.1: the tag is the first octet of a tagged integer; a tagged string starts with it (§3.6).
    [TestCase("Tunnel-Type:1 = VLAN", "40060100000d")]
    [TestCase("Tunnel-Type = VLAN", "40060000000d")]
    [TestCase("Tunnel-Private-Group-Id:1 = \"100\"", "510601313030")]
    [TestCase("Tunnel-Private-Group-Id = \"100\"", "5105313030")]
    public void Tagged_attributes_carry_their_tag(string text, string hex)
    {
        Assert.That(Wire(s_project, text), Is.EqualTo(hex));
    }

    [Test]
    public void Static_length_counts_the_vendor_header_and_leaves_placeholders_empty()
    {
        var fixedOne = ReplyAttributeTemplate.Parse(s_project, "Cisco-AVPair = \"shell:priv-lvl=15\"", out _)!;
        var templated = ReplyAttributeTemplate.Parse(s_project, "Fortinet-Group-Name = \"${user}\"", out _)!;

        Assert.That(fixedOne.StaticWireLength, Is.EqualTo(2 + 6 + 17));
        Assert.That(fixedOne.HasPlaceholders, Is.False);
        Assert.That(templated.StaticWireLength, Is.EqualTo(2 + 6));
        Assert.That(templated.HasPlaceholders, Is.True);
        Assert.That(templated.MaxValueLength, Is.EqualTo(247));
    }

    [Test]
    public void A_user_name_that_makes_the_value_too_long_fails_at_render_time()
    {
        var template = ReplyAttributeTemplate.Parse(s_project, "Fortinet-Group-Name = \"group-${user}\"", out _)!;

        var ok = template.TryRender(new string('u', 250), "example.com", out _, out var error);

        Assert.That(ok, Is.False);
        Assert.That(error, Does.Contain("256 octets").And.Contain("at most 247"));
    }
}
