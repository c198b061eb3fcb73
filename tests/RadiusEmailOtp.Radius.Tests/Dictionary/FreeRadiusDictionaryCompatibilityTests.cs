using System.Diagnostics;
using NUnit.Framework;
using RadiusEmailOtp.Radius.Dictionary;

namespace RadiusEmailOtp.Radius.Tests.Dictionary;

/// <summary>Loads Debian's freeradius-common dictionary set, the compatibility yardstick.</summary>
[TestFixture]
public sealed class FreeRadiusDictionaryCompatibilityTests
{
    private const string DebianDictionary = "/usr/share/freeradius/dictionary";

    private static RadiusDictionary s_dictionary = null!;

    [OneTimeSetUp]
    public void LoadDebianDictionary()
    {
        if (!File.Exists(DebianDictionary))
        {
            const string Message = "freeradius-common not installed (apt-get install freeradius-common)";
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                Assert.Fail(Message);
            }

            Assert.Ignore(Message);
        }

        var stopwatch = Stopwatch.StartNew();
        s_dictionary = RadiusDictionary.Load(DebianDictionary);
        TestContext.Progress.WriteLine($"Loaded {DebianDictionary}: {s_dictionary.AttributeCount} attributes, {s_dictionary.Vendors.Count} vendors in {stopwatch.ElapsedMilliseconds} ms");
    }

    [Test]
    public void Debian_dictionary_holds_thousands_of_attributes_and_vendors()
    {
        Assert.That(s_dictionary.AttributeCount, Is.GreaterThan(5000));
        Assert.That(s_dictionary.Vendors, Has.Count.GreaterThan(150));
    }

    [Test]
    public void User_name_is_standard_attribute_1()
    {
        Assert.That(s_dictionary.TryGetAttribute("user-name", out var attribute), Is.True);
        Assert.That(attribute.Type, Is.EqualTo(1u));
        Assert.That(attribute.VendorId, Is.Zero);
        Assert.That(attribute.DataType, Is.EqualTo(DictionaryAttributeType.String));
    }

    [Test]
    public void Number_6_is_named_service_type_although_compat_names_it_too()
    {
        Assert.That(s_dictionary.TryGetAttribute(0, 6, out var attribute), Is.True);
        Assert.That(attribute.Name, Is.EqualTo("Service-Type"));
    }

    [Test]
    public void Cisco_avpair_is_vendor_9_type_1()
    {
        Assert.That(s_dictionary.TryGetAttribute("Cisco-AVPair", out var attribute), Is.True);
        Assert.That((attribute.VendorId, attribute.Type, attribute.Oid), Is.EqualTo((9, 1u, "26.9.1")));
        Assert.That(s_dictionary.TryGetAttribute(9, 1, out var byNumber), Is.True);
        Assert.That(byNumber.Name, Is.EqualTo("Cisco-AVPair"));
    }

    [Test]
    public void Extended_attribute_sits_under_its_extended_parent()
    {
        Assert.That(s_dictionary.TryGetAttribute("Frag-Status", out var attribute), Is.True);
        Assert.That(attribute.Oid, Is.EqualTo("241.1"));
        Assert.That(s_dictionary.TryGetAttribute(0, 241, out var parent), Is.True);
        Assert.That(parent.DataType, Is.EqualTo(DictionaryAttributeType.Extended));
        Assert.That(s_dictionary.TryGetChild(parent, 1, out var child), Is.True);
        Assert.That(child.Name, Is.EqualTo("Frag-Status"));
    }

    [Test]
    public void Evs_vendor_block_places_attributes_under_extended_vendor_specific()
    {
        Assert.That(s_dictionary.TryGetAttribute("FreeRADIUS-802.1X-Anonce", out var attribute), Is.True);
        Assert.That((attribute.Oid, attribute.VendorId), Is.EqualTo(("245.26.11344.1", 11344)));
        Assert.That(s_dictionary.TryGetAttribute(11344, 1, out var vsa), Is.True);
        Assert.That(vsa.Name, Is.EqualTo("FreeRADIUS-Proxied-To"));
    }

    [Test]
    public void Begin_tlv_places_wimax_children_under_their_tlv()
    {
        Assert.That(s_dictionary.TryGetAttribute("WiMAX-Release", out var attribute), Is.True);
        Assert.That(attribute.Oid, Is.EqualTo("26.24757.1.1"));
        Assert.That(s_dictionary.TryGetVendor(24757, out var wimax), Is.True);
        Assert.That(wimax.HasContinuation, Is.True);
    }

    [Test]
    public void Service_type_value_2_is_framed_user()
    {
        Assert.That(s_dictionary.TryGetAttribute("Service-Type", out var attribute), Is.True);
        Assert.That(s_dictionary.TryGetValueName(attribute, 2, out var name), Is.True);
        Assert.That(name, Is.EqualTo("Framed-User"));
    }

    [Test]
    public void Tunnel_password_is_tagged_and_encrypted_with_method_2()
    {
        Assert.That(s_dictionary.TryGetAttribute("Tunnel-Password", out var attribute), Is.True);
        Assert.That(attribute.Flags.HasFlag(DictionaryAttributeFlags.HasTag), Is.True);
        Assert.That(attribute.Encrypt, Is.EqualTo(2));
    }

    [Test]
    public void Usr_vendor_has_four_octet_types_and_no_length()
    {
        Assert.That(s_dictionary.TryGetVendor("USR", out var usr), Is.True);
        Assert.That((usr.Id, usr.TypeLength, usr.LengthLength), Is.EqualTo((429, 4, 0)));
    }
}
