using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Ldap;

namespace RadiusEmailOtp.Infrastructure.Tests.Ldap;

public sealed class LdapFilterTests
{
    // RFC 4515 §4 examples: the escaped forms of '*', '(', ')', '\' and NUL.
    [TestCase("*)(uid=*", "\\2a\\29\\28uid=\\2a")]
    [TestCase("a\\b", "a\\5cb")]
    [TestCase("nul\0", "nul\\00")]
    [TestCase("Lučić", "Lučić")]
    public void Special_characters_are_escaped(string value, string expected)
    {
        Assert.That(LdapFilter.Escape(value), Is.EqualTo(expected));
    }

    [Test]
    public void One_login_attribute_is_anded_with_the_filter()
    {
        Assert.That(LdapFilter.ForLogin("(objectClass=person)", ["uid"], "alice"), Is.EqualTo("(&(objectClass=person)(uid=alice))"));
    }

    [Test]
    public void Several_login_attributes_are_alternatives()
    {
        Assert.That(
            LdapFilter.ForLogin("(objectClass=user)", ["sAMAccountName", "userPrincipalName"], "a*"),
            Is.EqualTo("(&(objectClass=user)(|(sAMAccountName=a\\2a)(userPrincipalName=a\\2a)))"));
    }
}
