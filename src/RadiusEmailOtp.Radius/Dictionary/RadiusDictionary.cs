namespace RadiusEmailOtp.Radius.Dictionary;

/// <summary>A loaded set of FreeRADIUS v3 dictionary files: attributes, vendors and named values.</summary>
public sealed class RadiusDictionary
{
    private readonly DictionaryTables _tables;

    private RadiusDictionary(DictionaryTables tables)
    {
        _tables = tables;
        Vendors = tables.VendorsByName.Values.ToArray();
    }

    /// <summary>The vendors the dictionary defines.</summary>
    public IReadOnlyCollection<DictionaryVendor> Vendors { get; }

    /// <summary>The number of distinct attribute names.</summary>
    public int AttributeCount => _tables.ByName.Count;

    /// <summary>Loads a dictionary file and everything it includes, throwing <see cref="DictionaryException"/> on any error.</summary>
    public static RadiusDictionary Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new RadiusDictionary(DictionaryLoader.Load(path));
    }

    /// <summary>Finds an attribute by name, ignoring case.</summary>
    public bool TryGetAttribute(string name, out DictionaryAttribute attribute) =>
        _tables.ByName.TryGetValue(name, out attribute!);

    /// <summary>Finds a top-level attribute (vendor 0) or a VSA directly under a vendor by its number; the last defined name wins.</summary>
    public bool TryGetAttribute(int vendorId, uint type, out DictionaryAttribute attribute) =>
        _tables.TopLevel.TryGetValue((vendorId, type), out attribute!);

    /// <summary>Finds any attribute by its full dotted OID, such as "241.1", "26.24757.1.1" or "245.26.11344.1".</summary>
    public bool TryGetAttributeByOid(string oid, out DictionaryAttribute attribute) =>
        _tables.ByOid.TryGetValue(oid, out attribute!);

    /// <summary>Finds a child of a TLV, extended or EVS attribute by its number inside the parent.</summary>
    public bool TryGetChild(DictionaryAttribute parent, uint type, out DictionaryAttribute attribute) =>
        _tables.ByOid.TryGetValue($"{parent.Oid}.{type}", out attribute!);

    /// <summary>Finds a vendor by its private enterprise number.</summary>
    public bool TryGetVendor(int vendorId, out DictionaryVendor vendor) =>
        _tables.VendorsById.TryGetValue(vendorId, out vendor!);

    /// <summary>Finds a vendor by name, ignoring case.</summary>
    public bool TryGetVendor(string name, out DictionaryVendor vendor) =>
        _tables.VendorsByName.TryGetValue(name, out vendor!);

    /// <summary>Finds the name of an attribute's value; when several names share the number the last loaded wins.</summary>
    public bool TryGetValueName(DictionaryAttribute attribute, long number, out string name)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        name = "";
        return _tables.ValueNames.TryGetValue(attribute.Oid, out var names) && names.TryGetValue(number, out name!);
    }

    /// <summary>Finds the number of an attribute's named value, ignoring case.</summary>
    public bool TryGetValueNumber(DictionaryAttribute attribute, string name, out long number)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        number = 0;
        return _tables.ValueNumbers.TryGetValue(attribute.Oid, out var numbers) && numbers.TryGetValue(name, out number);
    }
}
