using NUnit.Framework;
using RadiusEmailOtp.Radius.Dictionary;

namespace RadiusEmailOtp.Radius.Tests.Dictionary;

/// <summary>Checks the project's own dictionaries in dictionaries/ against the RFCs they were written from.</summary>
[TestFixture]
public sealed class ProjectDictionaryTests
{
    private static RadiusDictionary s_dictionary = null!;

    [OneTimeSetUp]
    public void LoadProjectDictionary() => s_dictionary = RadiusDictionary.Load(RepositoryPaths.Dictionary);

    private static DictionaryAttribute Attribute(string name)
    {
        Assert.That(s_dictionary.TryGetAttribute(name, out var attribute), Is.True, name);
        return attribute;
    }

    [TestCase("User-Name", 1u, DictionaryAttributeType.String)] // RFC 2865 §5.1
    [TestCase("CHAP-Password", 3u, DictionaryAttributeType.Octets)] // RFC 2865 §5.3
    [TestCase("NAS-IP-Address", 4u, DictionaryAttributeType.IpAddr)] // RFC 2865 §5.4
    [TestCase("State", 24u, DictionaryAttributeType.Octets)] // RFC 2865 §5.24
    [TestCase("Vendor-Specific", 26u, DictionaryAttributeType.Vsa)] // RFC 2865 §5.26
    [TestCase("Proxy-State", 33u, DictionaryAttributeType.Octets)] // RFC 2865 §5.33
    [TestCase("Acct-Status-Type", 40u, DictionaryAttributeType.Integer)] // RFC 2866 §5.1
    [TestCase("Event-Timestamp", 55u, DictionaryAttributeType.Date)] // RFC 2869 §5.3
    [TestCase("EAP-Message", 79u, DictionaryAttributeType.Octets)] // RFC 2869 §5.13
    [TestCase("Message-Authenticator", 80u, DictionaryAttributeType.Octets)] // RFC 2869 §5.14
    [TestCase("NAS-IPv6-Address", 95u, DictionaryAttributeType.Ipv6Addr)] // RFC 3162 §2.1
    [TestCase("Framed-Interface-Id", 96u, DictionaryAttributeType.Ifid)] // RFC 3162 §2.2
    [TestCase("Framed-IPv6-Prefix", 97u, DictionaryAttributeType.Ipv6Prefix)] // RFC 3162 §2.3
    [TestCase("Error-Cause", 101u, DictionaryAttributeType.Integer)] // RFC 5176 §3.6
    public void Attribute_has_the_number_and_type_of_its_rfc(string name, uint type, DictionaryAttributeType dataType)
    {
        var attribute = Attribute(name);
        Assert.That((attribute.Type, attribute.VendorId, attribute.DataType), Is.EqualTo((type, 0, dataType)));
        Assert.That(s_dictionary.TryGetAttribute(0, type, out var byNumber), Is.True);
        Assert.That(byNumber.Name, Is.EqualTo(name));
    }

    // The vendors' own documentation; numbers and names agree with FreeRADIUS's dictionaries so radclient reads them the same.
    [TestCase("Cisco-AVPair", 9, 1u, DictionaryAttributeType.String)]
    [TestCase("ASA-Group-Policy", 3076, 25u, DictionaryAttributeType.String)]
    [TestCase("Fortinet-Group-Name", 12356, 1u, DictionaryAttributeType.String)]
    [TestCase("Fortinet-Client-IP-Address", 12356, 2u, DictionaryAttributeType.IpAddr)]
    [TestCase("PaloAlto-User-Group", 25461, 5u, DictionaryAttributeType.String)]
    [TestCase("Juniper-Local-User-Name", 2636, 1u, DictionaryAttributeType.String)]
    [TestCase("Aruba-User-Role", 14823, 1u, DictionaryAttributeType.String)]
    [TestCase("Mikrotik-Rate-Limit", 14988, 8u, DictionaryAttributeType.String)]
    public void Vendor_attribute_has_the_number_of_its_vendor_documentation(string name, int vendorId, uint type, DictionaryAttributeType dataType)
    {
        var attribute = Attribute(name);
        Assert.That((attribute.VendorId, attribute.Type, attribute.DataType), Is.EqualTo((vendorId, type, dataType)));
        Assert.That(attribute.Oid, Is.EqualTo($"26.{vendorId}.{type}"));
    }

    [Test]
    public void User_password_is_encrypted_with_method_1()
    {
        Assert.That(Attribute("User-Password").Encrypt, Is.EqualTo(1));
    }

    [Test]
    public void Tunnel_password_is_69_tagged_with_encrypt_2()
    {
        var attribute = Attribute("Tunnel-Password");
        Assert.That(attribute.Type, Is.EqualTo(69u));
        Assert.That(attribute.Flags, Is.EqualTo(DictionaryAttributeFlags.HasTag));
        Assert.That(attribute.Encrypt, Is.EqualTo(2));
    }

    [Test]
    public void Eap_message_is_concatenated()
    {
        Assert.That(Attribute("EAP-Message").Flags, Is.EqualTo(DictionaryAttributeFlags.Concat));
    }

    [Test]
    public void Arap_password_is_16_fixed_octets()
    {
        Assert.That(Attribute("ARAP-Password").FixedLength, Is.EqualTo(16));
    }

    [TestCase("Service-Type", 2, "Framed-User")] // RFC 2865 §5.6
    [TestCase("Service-Type", 8, "Authenticate-Only")] // RFC 2865 §5.6
    [TestCase("Service-Type", 17, "Authorize-Only")] // RFC 5176 §3.2
    [TestCase("Acct-Status-Type", 3, "Interim-Update")] // RFC 2866 §5.1
    [TestCase("Acct-Status-Type", 9, "Tunnel-Start")] // RFC 2867 §4.1
    [TestCase("Tunnel-Type", 13, "VLAN")] // RFC 3580
    [TestCase("Tunnel-Medium-Type", 6, "IEEE-802")] // RFC 2868 §3.2
    [TestCase("Error-Cause", 503, "Session-Context-Not-Found")] // RFC 5176 §3.6
    public void Value_has_the_name_of_its_rfc(string attributeName, long number, string name)
    {
        Assert.That(s_dictionary.TryGetValueName(Attribute(attributeName), number, out var actual), Is.True);
        Assert.That(actual, Is.EqualTo(name));
    }

    [Test]
    public void Every_file_carries_the_apache_licence_header()
    {
        var files = Directory.GetFiles(Path.GetDirectoryName(RepositoryPaths.Dictionary)!, "dictionary*");
        Assert.That(files, Has.Length.GreaterThanOrEqualTo(8));
        foreach (var file in files)
        {
            Assert.That(File.ReadLines(file).Take(6), Has.Some.Contains("Apache License, Version 2.0"), file);
        }
    }
}
