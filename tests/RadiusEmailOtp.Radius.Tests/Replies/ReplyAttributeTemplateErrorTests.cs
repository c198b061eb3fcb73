using NUnit.Framework;
using RadiusEmailOtp.Radius.Dictionary;
using RadiusEmailOtp.Radius.Replies;
using RadiusEmailOtp.Radius.Tests.Dictionary;

namespace RadiusEmailOtp.Radius.Tests.Replies;

/// <summary>What configuration may not put in a reply, and how the error reads.</summary>
[TestFixture]
public sealed class ReplyAttributeTemplateErrorTests
{
    private static RadiusDictionary s_dictionary = null!;

    [OneTimeSetUp]
    public void LoadProjectDictionary() => s_dictionary = RadiusDictionary.Load(RepositoryPaths.Dictionary);

    private static string Error(string text)
    {
        var template = ReplyAttributeTemplate.Parse(s_dictionary, text, out var error);
        Assert.That(template, Is.Null, text);
        return error!;
    }

    [TestCase("Class", "expected Name = value")]
    [TestCase("= 1", "expected Name = value")]
    [TestCase("Filter-Id =", "Filter-Id has no value")]
    [TestCase("Filter Id = x", "\"Filter Id\" is not an attribute name")]
    [TestCase("Filter-Id = \"staff", "no closing \"")]
    [TestCase("Filter-Id = \"staff\" extra", "text after the closing \"")]
    [TestCase("Tunnel-Type:32 = VLAN", "\"32\" is not a tag (0-31)")]
    public void Syntax_errors_say_what_was_expected(string text, string expected)
    {
        Assert.That(Error(text), Does.Contain(expected));
    }

    [Test]
    public void Unknown_attribute_is_named()
    {
        Assert.That(Error("Fortinet-Group = \"x\""), Does.Contain("unknown attribute Fortinet-Group"));
    }

    [TestCase("Session-Timeout = soon", "\"soon\" is neither a number nor a VALUE name of Session-Timeout")]
    [TestCase("Session-Timeout = 4294967296", "out of range 0..4294967295")]
    [TestCase("Session-Timeout = -1", "out of range")]
    [TestCase("Service-Type = Framed-Usr", "neither a number nor a VALUE name")]
    [TestCase("Framed-IP-Address = 10.8", "\"10.8\" is not an IPv4 address")]
    [TestCase("Framed-IP-Address = ::1", "is not an IPv4 address")]
    [TestCase("Framed-IPv6-Prefix = 2001:db8::", "is not an IPv6 prefix")]
    [TestCase("Framed-IPv6-Prefix = 2001:db8::/129", "is not an IPv6 prefix")]
    [TestCase("Class = 0x0", "0x followed by hex digits")]
    [TestCase("Class = OU=vpn", "0x followed by hex digits, or a quoted string")]
    [TestCase("ARAP-Password = 0x0102", "holds exactly 16 octets, not 2")]
    [TestCase("Event-Timestamp = 2027-13-01", "is not a date")]
    [TestCase("Framed-Interface-Id = 0:0:1", "is not an interface id")]
    [TestCase("Tunnel-Type:1 = 16777216", "at most 24 bits")]
    public void Values_are_checked_against_the_attribute_type(string text, string expected)
    {
        Assert.That(Error(text), Does.Contain(expected));
    }

    [TestCase("User-Password = \"x\"")]
    [TestCase("CHAP-Password = 0x00")]
    [TestCase("State = 0x01")]
    [TestCase("Message-Authenticator = 0x00")]
    [TestCase("EAP-Message = 0x02")]
    [TestCase("Proxy-State = 0x01")]
    [TestCase("Vendor-Specific = 0x00000009")]
    public void Attributes_the_server_owns_cannot_be_set(string text)
    {
        Assert.That(Error(text), Does.Contain("cannot be set by configuration"));
    }

    [Test]
    public void Encrypted_attributes_cannot_be_set()
    {
        Assert.That(Error("Tunnel-Password:1 = \"secret\""), Does.Contain("Tunnel-Password is an encrypted attribute"));
    }

    [Test]
    public void A_tag_on_an_untagged_attribute_is_refused()
    {
        Assert.That(Error("Filter-Id:1 = \"staff\""), Does.Contain("Filter-Id takes no tag"));
    }

    [TestCase("Filter-Id = \"${username}\"", "unknown placeholder ${username}; known: ${user}, ${realm}")]
    [TestCase("Filter-Id = \"${user\"", "placeholder ${user has no closing }")]
    [TestCase("Session-Timeout = ${user}", "placeholders are allowed only in text values")]
    [TestCase("Class = ${user}", "placeholders are allowed only in text values")]
    public void Placeholders_are_known_ones_in_text_values(string text, string expected)
    {
        Assert.That(Error(text), Does.Contain(expected));
    }

    [Test]
    public void A_value_longer_than_its_attribute_holds_is_refused()
    {
        Assert.That(Error($"Filter-Id = \"{new string('x', 254)}\""), Does.Contain("254 octets; it holds at most 253"));
        Assert.That(Error($"Cisco-AVPair = \"{new string('x', 248)}\""), Does.Contain("248 octets; it holds at most 247"));
    }
}
