using NUnit.Framework;
using RadiusEmailOtp.Radius.Dictionary;

namespace RadiusEmailOtp.Radius.Tests.Dictionary;

/// <summary>The FreeRADIUS v3 dictionary grammar, one construct at a time, on temp files.</summary>
[TestFixture]
public sealed class DictionaryLoaderTests
{
    private TempDirectory _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = new TempDirectory();

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    private RadiusDictionary Load(string content) => RadiusDictionary.Load(_directory.Write("dictionary", content));

    private DictionaryException LoadFails(string content)
    {
        var path = _directory.Write("dictionary", content);
        return Assert.Throws<DictionaryException>(() => RadiusDictionary.Load(path))!;
    }

    [Test]
    public void Keywords_and_types_are_case_insensitive_and_comments_go_anywhere()
    {
        var dictionary = Load("""
            # full-line comment
            attribute   Foo   1   STRING   # trailing comment
            Value Foo-Int Bar 7
            ATTRIBUTE Foo-Int 2 integer#glued comment
            """);
        Assert.That(dictionary.TryGetAttribute("FOO", out var foo), Is.True);
        Assert.That(foo.DataType, Is.EqualTo(DictionaryAttributeType.String));
        Assert.That(dictionary.TryGetAttribute("Foo-Int", out var fooInt), Is.True);
        Assert.That(dictionary.TryGetValueName(fooInt, 7, out var name) && name == "Bar", Is.True);
        Assert.That(dictionary.AttributeCount, Is.EqualTo(2));
    }

    [Test]
    public void Forward_value_resolves_and_last_name_for_a_number_wins()
    {
        var dictionary = Load("""
            VALUE Mode Old-Name 1
            VALUE Mode Other 0x02
            ATTRIBUTE Mode 10 integer
            VALUE Mode New-Name 1
            """);
        dictionary.TryGetAttribute("Mode", out var mode);
        Assert.That(dictionary.TryGetValueName(mode, 1, out var name), Is.True);
        Assert.That(name, Is.EqualTo("New-Name"));
        Assert.That(dictionary.TryGetValueNumber(mode, "old-name", out var number) && number == 1, Is.True);
        Assert.That(dictionary.TryGetValueNumber(mode, "Other", out var other) && other == 2, Is.True);
    }

    [Test]
    public void Value_for_an_attribute_never_defined_names_the_value_line()
    {
        var error = LoadFails("ATTRIBUTE A 1 integer\n\nVALUE Missing X 1\n");
        Assert.That((error.File, error.Line), Is.EqualTo((Path.Combine(_directory.Path, "dictionary"), 3)));
        Assert.That(error.Message, Does.StartWith($"{error.File}:3: ").And.Contain("Missing"));
    }

    [Test]
    public void Vendor_formats_flags_and_fixed_octets_are_read()
    {
        var dictionary = Load("""
            VENDOR Acme 9999 format=2,2
            VENDOR Wide 429 format=4,0
            VENDOR Cont 24757 format=1,1,c
            BEGIN-VENDOR Acme
            ATTRIBUTE Acme-Secret 300 string has_tag,encrypt=2,secret
            ATTRIBUTE Acme-List 301 ipaddr array
            ATTRIBUTE Acme-Fixed 302 octets[8]
            END-VENDOR Acme
            ATTRIBUTE Eap 79 octets concat
            ATTRIBUTE Internal 1000 integer virtual
            """);
        Assert.That(dictionary.TryGetVendor("acme", out var acme) && acme is { TypeLength: 2, LengthLength: 2 }, Is.True);
        Assert.That(dictionary.TryGetVendor(429, out var wide) && wide is { TypeLength: 4, LengthLength: 0 }, Is.True);
        Assert.That(dictionary.TryGetVendor("Cont", out var cont) && cont.HasContinuation, Is.True);
        Assert.That(dictionary.TryGetAttribute(9999, 300, out var secret), Is.True);
        Assert.That(secret.Flags, Is.EqualTo(DictionaryAttributeFlags.HasTag | DictionaryAttributeFlags.Secret));
        Assert.That((secret.Encrypt, secret.Oid), Is.EqualTo((2, "26.9999.300")));
        dictionary.TryGetAttribute("Acme-List", out var list);
        Assert.That(list.Flags, Is.EqualTo(DictionaryAttributeFlags.Array));
        dictionary.TryGetAttribute("Acme-Fixed", out var fixedOctets);
        Assert.That(fixedOctets.FixedLength, Is.EqualTo(8));
        dictionary.TryGetAttribute("Internal", out var internalAttribute);
        Assert.That(internalAttribute.Flags, Is.EqualTo(DictionaryAttributeFlags.Virtual));
        Assert.That(dictionary.Vendors, Has.Count.EqualTo(3));
    }

    [Test]
    public void Dotted_vsa_number_and_old_style_vendor_flag_place_vendor_attributes()
    {
        var dictionary = Load("""
            VENDOR Cisco 9
            ATTRIBUTE Cisco-AVPair 26.9.1 string
            ATTRIBUTE Cisco-Old 2 integer Cisco
            """);
        Assert.That(dictionary.TryGetAttribute(9, 1, out var avpair) && avpair.Name == "Cisco-AVPair", Is.True);
        Assert.That(dictionary.TryGetAttribute(9, 2, out var old) && old.Oid == "26.9.2", Is.True);
    }

    [Test]
    public void Extended_evs_and_tlv_children_get_full_oids()
    {
        var dictionary = Load("""
            ATTRIBUTE Ext-1 241 extended
            ATTRIBUTE Frag 241.1 integer
            ATTRIBUTE Evs-1 241.26 evs
            VENDOR Acme 9999
            BEGIN-VENDOR Acme format=Evs-1
            ATTRIBUTE Acme-Evs 5 octets
            END-VENDOR Acme
            BEGIN-VENDOR Acme
            ATTRIBUTE Acme-Tlv 1 tlv
            BEGIN-TLV Acme-Tlv
            ATTRIBUTE Acme-Inner 2 string
            END-TLV Acme-Tlv
            ATTRIBUTE Acme-Dotted 1.3 byte
            END-VENDOR Acme
            """);
        Assert.That(dictionary.TryGetAttributeByOid("241.1", out var frag) && frag.Name == "Frag", Is.True);
        dictionary.TryGetAttribute("Acme-Evs", out var evs);
        Assert.That((evs.Oid, evs.VendorId, evs.Type), Is.EqualTo(("241.26.9999.5", 9999, 5u)));
        dictionary.TryGetAttribute("Acme-Inner", out var inner);
        Assert.That((inner.Oid, inner.VendorId), Is.EqualTo(("26.9999.1.2", 9999)));
        dictionary.TryGetAttribute("Acme-Tlv", out var tlv);
        Assert.That(dictionary.TryGetChild(tlv, 3, out var dotted) && dotted.Name == "Acme-Dotted", Is.True);
        Assert.That(dictionary.TryGetAttribute(0, 1, out _), Is.False, "extended children are not top-level attributes");
    }

    [Test]
    public void Include_is_relative_to_the_including_file_and_optional_include_may_be_missing()
    {
        _directory.Write("sub/dictionary.inner", "ATTRIBUTE Inner 5 string\n$INCLUDE dictionary.leaf\n");
        _directory.Write("sub/dictionary.leaf", "ATTRIBUTE Leaf 6 string\n");
        var dictionary = Load("$INCLUDE sub/dictionary.inner\n$INCLUDE- dictionary.absent\n");
        Assert.That(dictionary.TryGetAttribute("Leaf", out _), Is.True);
        Assert.That(dictionary.TryGetAttribute(0, 5, out _), Is.True);
    }

    [Test]
    public void Missing_include_names_file_and_line()
    {
        var error = LoadFails("ATTRIBUTE A 1 string\n$INCLUDE dictionary.absent\n");
        Assert.That(error.Line, Is.EqualTo(2));
        Assert.That(error.File, Does.EndWith("dictionary"));
        Assert.That(error.Message, Does.Contain("dictionary.absent"));
    }

    [Test]
    public void Include_loop_is_an_error_in_the_file_that_closes_it()
    {
        _directory.Write("dictionary.a", "# a\n$INCLUDE dictionary.b\n");
        _directory.Write("dictionary.b", "# b\n\n$INCLUDE dictionary.a\n");
        var error = LoadFails("$INCLUDE dictionary.a\n");
        Assert.That((Path.GetFileName(error.File), error.Line), Is.EqualTo(("dictionary.b", 3)));
        Assert.That(error.Message, Does.Contain("loop"));
    }

    [Test]
    public void Self_include_is_a_loop()
    {
        var error = LoadFails("$INCLUDE dictionary\n");
        Assert.That(error.Line, Is.EqualTo(1));
    }

    [Test]
    public void Missing_root_file_is_a_dictionary_exception()
    {
        var path = Path.Combine(_directory.Path, "nope");
        var error = Assert.Throws<DictionaryException>(() => RadiusDictionary.Load(path))!;
        Assert.That((error.File, error.Line), Is.EqualTo((path, 0)));
    }

    [TestCase("ATTRIBUTE A 1 string\nFROB A 1\n", 2, "unknown keyword")]
    [TestCase("ATTRIBUTE A 1 strung\n", 1, "unknown attribute type")]
    [TestCase("ATTRIBUTE A 1x string\n", 1, "invalid attribute number")]
    [TestCase("ATTRIBUTE A 1 octets[300]\n", 1, "unknown attribute type")]
    [TestCase("ATTRIBUTE A 1 string bogus_flag\n", 1, "unknown attribute flag")]
    [TestCase("ATTRIBUTE A 1 string encrypt=9\n", 1, "unknown attribute flag")]
    [TestCase("ATTRIBUTE A 1\n", 1, "invalid ATTRIBUTE line")]
    [TestCase("ATTRIBUTE A 1 integer\nVALUE A B x12\n", 2, "invalid VALUE number")]
    [TestCase("ATTRIBUTE A 1 byte\nVALUE A B 256\n", 2, "out of range")]
    [TestCase("ATTRIBUTE A 1 integer\nVALUE A B 1\nVALUE A B 2\n", 3, "already defined")]
    [TestCase("ATTRIBUTE A 1 string\nATTRIBUTE A 2 string\n", 2, "already defined")]
    [TestCase("VENDOR V 0\n", 1, "invalid vendor number")]
    [TestCase("VENDOR V 9 format=3,1\n", 1, "type length")]
    [TestCase("VENDOR V 9 format=2,1,c\n", 1, "continuation")]
    [TestCase("VENDOR V 9\nVENDOR V 10\n", 2, "already defined")]
    [TestCase("BEGIN-VENDOR Nobody\n", 1, "unknown vendor")]
    [TestCase("VENDOR V 9\n\nEND-VENDOR V\n", 3, "without BEGIN-VENDOR")]
    [TestCase("VENDOR V 9\nVENDOR W 10\nBEGIN-VENDOR V\nEND-VENDOR W\n", 4, "does not match")]
    [TestCase("VENDOR V 9\nBEGIN-VENDOR V\nATTRIBUTE A 1 string\n", 2, "has no END-VENDOR")]
    [TestCase("VENDOR V 9\nBEGIN-VENDOR V\nATTRIBUTE A 256 string\nEND-VENDOR V\n", 3, "does not fit")]
    [TestCase("END-TLV T\n", 1, "without BEGIN-TLV")]
    [TestCase("ATTRIBUTE T 1 string\nBEGIN-TLV T\n", 2, "not of type tlv")]
    [TestCase("ATTRIBUTE T 1 tlv\nBEGIN-TLV T\n", 2, "has no END-TLV")]
    [TestCase("ATTRIBUTE A 7.1 string\n", 1, "no parent")]
    [TestCase("ATTRIBUTE P 7 integer\nATTRIBUTE A 7.1 string\n", 2, "cannot hold children")]
    [TestCase("ATTRIBUTE A 26.77.1 string\n", 1, "unknown vendor")]
    [TestCase("$INCLUDE\n", 1, "invalid $INCLUDE line")]
    public void Error_names_file_and_line(string content, int line, string problem)
    {
        var error = LoadFails(content);
        var file = Path.Combine(_directory.Path, "dictionary");
        Assert.That((error.File, error.Line), Is.EqualTo((file, line)));
        Assert.That(error.Message, Does.StartWith($"{file}:{line}: ").And.Contain(problem));
    }

    [Test]
    public void Redefining_a_name_with_the_same_number_updates_it_and_aliases_share_values()
    {
        var dictionary = Load("""
            ATTRIBUTE Old-Name 6 integer
            ATTRIBUTE Service 6 integer
            ATTRIBUTE Service 6 integer has_tag
            VALUE Old-Name Framed 2
            """);
        Assert.That(dictionary.TryGetAttribute(0, 6, out var six) && six.Name == "Service", Is.True);
        Assert.That(six.Flags, Is.EqualTo(DictionaryAttributeFlags.HasTag));
        Assert.That(dictionary.TryGetValueName(six, 2, out var name) && name == "Framed", Is.True);
        Assert.That(dictionary.AttributeCount, Is.EqualTo(2));
    }
}
