using System.Globalization;

namespace RadiusEmailOtp.Radius.Dictionary;

/// <summary>Works out where an ATTRIBUTE line puts its attribute: full OID, vendor and own number.</summary>
internal static class DictionaryAttributePlacer
{
    private const uint VendorSpecific = 26; // RFC 2865 §5.26

    public static DictionaryAttribute Place(
        DictionaryTables tables,
        DictionaryFileState state,
        string name,
        uint[] components,
        DictionaryVendor? flagVendor,
        DictionaryAttributeType dataType,
        int? fixedLength,
        DictionaryAttributeFlags flags,
        int encrypt)
    {
        string prefix;
        int vendorId;
        DictionaryVendor? vendor = null;
        if (state.Tlvs.Count > 0)
        {
            // Inside BEGIN-TLV numbers are relative to the TLV.
            var parent = state.Tlvs.Peek().Parent;
            prefix = parent.Oid;
            vendorId = parent.VendorId;
        }
        else if (state.Vendor is not null)
        {
            if (flagVendor is not null && flagVendor.Id != state.Vendor.Id)
            {
                throw state.Error($"attribute {name} names vendor {flagVendor.Name} inside the block of vendor {state.Vendor.Name}");
            }

            vendor = state.Vendor;
            prefix = state.VendorPrefix;
            vendorId = vendor.Id;
        }
        else if (flagVendor is not null)
        {
            vendor = flagVendor;
            prefix = $"26.{vendor.Id}";
            vendorId = vendor.Id;
        }
        else if (components.Length >= 3 && components[0] == VendorSpecific)
        {
            // "26.VENDOR.TYPE" spells a VSA without a vendor block.
            if (!tables.VendorsById.TryGetValue((int)components[1], out vendor))
            {
                throw state.Error($"attribute {name} names unknown vendor number {components[1]}");
            }

            prefix = $"26.{vendor.Id}";
            vendorId = vendor.Id;
            components = components[2..];
        }
        else
        {
            prefix = "";
            vendorId = 0;
        }

        var type = components[^1];
        var relative = string.Join('.', components.Select(c => c.ToString(CultureInfo.InvariantCulture)));
        var oid = prefix.Length == 0 ? relative : $"{prefix}.{relative}";
        var parentOid = oid.LastIndexOf('.') is var dot and >= 0 ? oid[..dot] : null;

        var isVendorTopLevel = vendor is not null && components.Length == 1 && state.Tlvs.Count == 0;
        if (isVendorTopLevel)
        {
            // The VSA type field is 1, 2 or 4 octets wide (RFC 2865 §5.26 suggests 1; vendors differ); CableLabs even uses 0.
            var max = vendor!.TypeLength == 4 ? uint.MaxValue : (1u << (8 * vendor.TypeLength)) - 1;
            if (type > max)
            {
                throw state.Error($"attribute number {type} does not fit vendor {vendor.Name}'s {vendor.TypeLength}-octet type field");
            }
        }
        else if (parentOid is not null)
        {
            if (!tables.ByOid.TryGetValue(parentOid, out var parent))
            {
                throw state.Error($"attribute {name} ({oid}) has no parent attribute {parentOid}");
            }

            if (parent.DataType is not (DictionaryAttributeType.Tlv or DictionaryAttributeType.Extended
                or DictionaryAttributeType.LongExtended or DictionaryAttributeType.Evs or DictionaryAttributeType.Vsa))
            {
                throw state.Error($"attribute {name} ({oid}) is inside {parent.Name}, which is of type {parent.DataType} and cannot hold children");
            }

            // Children of TLVs and extended attributes have a one-octet type (RFC 6929 §2.1, §2.3).
            if (type > 255)
            {
                throw state.Error($"attribute number {type} of {name} is outside 0-255");
            }
        }

        return new DictionaryAttribute(name, oid, vendorId, type, dataType, fixedLength, flags, encrypt);
    }
}
