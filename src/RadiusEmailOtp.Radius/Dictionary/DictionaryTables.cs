namespace RadiusEmailOtp.Radius.Dictionary;

/// <summary>The lookup tables of a loaded dictionary.</summary>
internal sealed class DictionaryTables
{
    public Dictionary<string, DictionaryAttribute> ByName { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Full OID to attribute; when several names share an OID the last defined wins, as in FreeRADIUS.</summary>
    public Dictionary<string, DictionaryAttribute> ByOid { get; } = new(StringComparer.Ordinal);

    /// <summary>Attributes directly at the packet's top level (vendor 0) or directly inside a vendor's Vendor-Specific space.</summary>
    public Dictionary<(int VendorId, uint Type), DictionaryAttribute> TopLevel { get; } = [];

    public Dictionary<string, DictionaryVendor> VendorsByName { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<int, DictionaryVendor> VendorsById { get; } = [];

    /// <summary>Per attribute OID: value number to name, the last loaded winning.</summary>
    public Dictionary<string, Dictionary<long, string>> ValueNames { get; } = new(StringComparer.Ordinal);

    /// <summary>Per attribute OID: value name to number.</summary>
    public Dictionary<string, Dictionary<string, long>> ValueNumbers { get; } = new(StringComparer.Ordinal);

    public void Add(DictionaryAttribute attribute, DictionaryFileState state)
    {
        if (ByName.TryGetValue(attribute.Name, out var existing) && existing.Oid != attribute.Oid)
        {
            // Redefining a name with the same number updates it; moving it to another number is a mistake.
            throw state.Error($"attribute {attribute.Name} is already defined as {existing.Oid}");
        }

        ByName[attribute.Name] = attribute;
        ByOid[attribute.Oid] = attribute;
        if (IsTopLevel(attribute))
        {
            TopLevel[(attribute.VendorId, attribute.Type)] = attribute;
        }
    }

    public string? AddValue(DictionaryAttribute attribute, string name, long number)
    {
        var error = CheckRange(attribute, number);
        if (error is not null)
        {
            return error;
        }

        if (!ValueNumbers.TryGetValue(attribute.Oid, out var numbers))
        {
            numbers = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            ValueNumbers[attribute.Oid] = numbers;
            ValueNames[attribute.Oid] = [];
        }

        if (numbers.TryGetValue(name, out var previous) && previous != number)
        {
            return $"VALUE {attribute.Name} {name} is already defined as {previous}";
        }

        numbers[name] = number;
        ValueNames[attribute.Oid][number] = name;
        return null;
    }

    private static string? CheckRange(DictionaryAttribute attribute, long number)
    {
        var (min, max) = attribute.DataType switch
        {
            DictionaryAttributeType.Byte => (0L, (long)byte.MaxValue),
            DictionaryAttributeType.Short => (0L, (long)ushort.MaxValue),
            DictionaryAttributeType.Integer or DictionaryAttributeType.Date => (0L, (long)uint.MaxValue),
            DictionaryAttributeType.Signed => ((long)int.MinValue, (long)int.MaxValue),
            // FreeRADIUS tolerates VALUEs on other types (CableLabs names octets values), so they are kept unchecked.
            _ => (long.MinValue, long.MaxValue),
        };

        return number < min || number > max
            ? $"VALUE {number} is out of range for {attribute.Name} of type {attribute.DataType}"
            : null;
    }

    private static bool IsTopLevel(DictionaryAttribute attribute)
    {
        var dots = attribute.Oid.Count(c => c == '.');
        return attribute.VendorId == 0 ? dots == 0 : dots == 2 && attribute.Oid.StartsWith("26.", StringComparison.Ordinal);
    }
}
