namespace RadiusEmailOtp.Radius.Dictionary;

/// <summary>Reads a FreeRADIUS v3 dictionary file and the files it includes into the tables of a <see cref="RadiusDictionary"/>.</summary>
internal sealed class DictionaryLoader
{
    // Deeper nesting than this is a mistake, not a dictionary; FreeRADIUS's own tree is 2 levels deep.
    private const int MaxIncludeDepth = 32;

    private readonly DictionaryTables _tables = new();
    private readonly List<string> _includeStack = [];
    private readonly List<PendingValue> _values = [];

    public static DictionaryTables Load(string path)
    {
        var loader = new DictionaryLoader();
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new DictionaryException(path, 0, "dictionary file not found");
        }

        loader.LoadFile(fullPath);
        loader.ResolveValues();
        return loader._tables;
    }

    private void LoadFile(string path)
    {
        _includeStack.Add(path);
        var state = new DictionaryFileState(path);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DictionaryException(path, 0, $"cannot read dictionary: {ex.Message}");
        }

        foreach (var line in lines)
        {
            state.Line++;
            var fields = DictionaryLineParser.Split(line);
            if (fields.Length > 0)
            {
                ProcessLine(state, fields);
            }
        }

        if (state.Tlvs.Count > 0)
        {
            var (parent, tlvLine) = state.Tlvs.Peek();
            throw new DictionaryException(path, tlvLine, $"BEGIN-TLV {parent.Name} has no END-TLV");
        }

        if (state.Vendor is not null)
        {
            throw new DictionaryException(path, state.VendorLine, $"BEGIN-VENDOR {state.Vendor.Name} has no END-VENDOR");
        }

        _includeStack.RemoveAt(_includeStack.Count - 1);
    }

    private void ProcessLine(DictionaryFileState state, string[] fields)
    {
        var keyword = fields[0].ToUpperInvariant();
        switch (keyword)
        {
            case "ATTRIBUTE":
                ProcessAttribute(state, fields);
                break;
            case "VALUE":
                if (fields.Length != 4)
                {
                    throw state.Error("invalid VALUE line, expected: VALUE attribute name number");
                }

                if (!DictionaryLineParser.TryParseLong(fields[3], out var number))
                {
                    throw state.Error($"invalid VALUE number '{fields[3]}'");
                }

                // VALUEs may name attributes defined later, so all are applied once every file is read.
                _values.Add(new PendingValue(fields[1], fields[2], number, state.Path, state.Line));
                break;
            case "VENDOR":
                ProcessVendor(state, fields);
                break;
            case "BEGIN-VENDOR":
                ProcessBeginVendor(state, fields);
                break;
            case "END-VENDOR":
                if (fields.Length != 2)
                {
                    throw state.Error("invalid END-VENDOR line, expected: END-VENDOR name");
                }

                if (state.Vendor is null)
                {
                    throw state.Error($"END-VENDOR {fields[1]} without BEGIN-VENDOR");
                }

                if (!state.Vendor.Name.Equals(fields[1], StringComparison.OrdinalIgnoreCase))
                {
                    throw state.Error($"END-VENDOR {fields[1]} does not match BEGIN-VENDOR {state.Vendor.Name}");
                }

                state.Vendor = null;
                break;
            case "BEGIN-TLV":
                if (fields.Length != 2)
                {
                    throw state.Error("invalid BEGIN-TLV line, expected: BEGIN-TLV name");
                }

                if (!_tables.ByName.TryGetValue(fields[1], out var tlv))
                {
                    throw state.Error($"BEGIN-TLV names unknown attribute {fields[1]}");
                }

                if (tlv.DataType != DictionaryAttributeType.Tlv)
                {
                    throw state.Error($"BEGIN-TLV {fields[1]} is not of type tlv");
                }

                state.Tlvs.Push((tlv, state.Line));
                break;
            case "END-TLV":
                if (fields.Length != 2)
                {
                    throw state.Error("invalid END-TLV line, expected: END-TLV name");
                }

                if (state.Tlvs.Count == 0)
                {
                    throw state.Error($"END-TLV {fields[1]} without BEGIN-TLV");
                }

                if (!state.Tlvs.Peek().Parent.Name.Equals(fields[1], StringComparison.OrdinalIgnoreCase))
                {
                    throw state.Error($"END-TLV {fields[1]} does not match BEGIN-TLV {state.Tlvs.Peek().Parent.Name}");
                }

                state.Tlvs.Pop();
                break;
            case "$INCLUDE":
            case "$INCLUDE-":
                ProcessInclude(state, fields, optional: keyword == "$INCLUDE-");
                break;
            default:
                throw state.Error($"unknown keyword '{fields[0]}'");
        }
    }

    private void ProcessInclude(DictionaryFileState state, string[] fields, bool optional)
    {
        if (fields.Length != 2)
        {
            throw state.Error($"invalid {fields[0]} line, expected: {fields[0]} path");
        }

        // Relative paths are relative to the including file's directory, as in FreeRADIUS.
        var directory = System.IO.Path.GetDirectoryName(state.Path) ?? ".";
        var target = System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, fields[1]));
        if (!File.Exists(target))
        {
            if (optional)
            {
                return;
            }

            throw state.Error($"included dictionary '{fields[1]}' not found ({target})");
        }

        if (_includeStack.Contains(target, StringComparer.Ordinal))
        {
            throw state.Error($"$INCLUDE loop: '{fields[1]}' is already being loaded");
        }

        if (_includeStack.Count >= MaxIncludeDepth)
        {
            throw state.Error($"$INCLUDE nested deeper than {MaxIncludeDepth} files");
        }

        LoadFile(target);
    }

    private void ProcessVendor(DictionaryFileState state, string[] fields)
    {
        if (fields.Length is < 3 or > 4)
        {
            throw state.Error("invalid VENDOR line, expected: VENDOR name number [format=t,l]");
        }

        if (!DictionaryLineParser.TryParseUInt(fields[2], out var id) || id == 0 || id > 0xFFFFFF)
        {
            // The Vendor-Id's high octet is zero (RFC 2865 §5.26), so private enterprise numbers fit 24 bits.
            throw state.Error($"invalid vendor number '{fields[2]}'");
        }

        var typeLength = 1;
        var lengthLength = 1;
        var continuation = false;
        if (fields.Length == 4)
        {
            var error = DictionaryLineParser.ParseVendorFormat(fields[3], out typeLength, out lengthLength, out continuation);
            if (error is not null)
            {
                throw state.Error(error);
            }
        }

        var vendor = new DictionaryVendor(fields[1], (int)id, typeLength, lengthLength) { HasContinuation = continuation };
        if (_tables.VendorsByName.TryGetValue(vendor.Name, out var existing) && existing.Id != vendor.Id)
        {
            throw state.Error($"vendor {vendor.Name} is already defined with number {existing.Id}");
        }

        _tables.VendorsByName[vendor.Name] = vendor;
        _tables.VendorsById[vendor.Id] = vendor;
    }

    private void ProcessBeginVendor(DictionaryFileState state, string[] fields)
    {
        if (fields.Length is < 2 or > 3)
        {
            throw state.Error("invalid BEGIN-VENDOR line, expected: BEGIN-VENDOR name [format=Extended-Vendor-Specific-N]");
        }

        if (state.Vendor is not null)
        {
            throw state.Error($"BEGIN-VENDOR {fields[1]} inside the block of vendor {state.Vendor.Name}");
        }

        if (!_tables.VendorsByName.TryGetValue(fields[1], out var vendor))
        {
            throw state.Error($"BEGIN-VENDOR names unknown vendor {fields[1]}");
        }

        var prefix = $"26.{vendor.Id}";
        if (fields.Length == 3)
        {
            // RFC 6929 §2.4: the vendor's attributes live inside an Extended-Vendor-Specific attribute.
            const string Option = "format=";
            if (!fields[2].StartsWith(Option, StringComparison.OrdinalIgnoreCase))
            {
                throw state.Error($"unknown BEGIN-VENDOR option '{fields[2]}'");
            }

            var evsName = fields[2][Option.Length..];
            if (!_tables.ByName.TryGetValue(evsName, out var evs) || evs.DataType != DictionaryAttributeType.Evs)
            {
                throw state.Error($"BEGIN-VENDOR format names {evsName}, which is not an attribute of type evs");
            }

            prefix = $"{evs.Oid}.{vendor.Id}";
        }

        state.Vendor = vendor;
        state.VendorPrefix = prefix;
        state.VendorLine = state.Line;
    }

    private void ProcessAttribute(DictionaryFileState state, string[] fields)
    {
        if (fields.Length is < 4 or > 5)
        {
            throw state.Error("invalid ATTRIBUTE line, expected: ATTRIBUTE name number type [flags]");
        }

        var name = fields[1];
        if (!DictionaryLineParser.TryParseOid(fields[2], out var components))
        {
            throw state.Error($"invalid attribute number '{fields[2]}'");
        }

        if (!DictionaryLineParser.TryParseType(fields[3], out var dataType, out var fixedLength))
        {
            throw state.Error($"unknown attribute type '{fields[3]}'");
        }

        var flags = DictionaryAttributeFlags.None;
        var encrypt = 0;
        DictionaryVendor? flagVendor = null;
        if (fields.Length == 5)
        {
            flagVendor = ParseFlags(state, fields[4], ref flags, ref encrypt);
        }

        var attribute = DictionaryAttributePlacer.Place(_tables, state, name, components, flagVendor, dataType, fixedLength, flags, encrypt);
        _tables.Add(attribute, state);
    }

    private DictionaryVendor? ParseFlags(DictionaryFileState state, string text, ref DictionaryAttributeFlags flags, ref int encrypt)
    {
        DictionaryVendor? vendor = null;
        foreach (var flag in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = flag.IndexOf('=', StringComparison.Ordinal) is var eq and >= 0
                ? (flag[..eq].ToLowerInvariant(), flag[(eq + 1)..])
                : (flag.ToLowerInvariant(), null);
            switch (key)
            {
                case "has_tag" when value is null or "1":
                    flags |= DictionaryAttributeFlags.HasTag;
                    break;
                case "encrypt" when value is "0" or "1" or "2" or "3":
                    // 1 = User-Password (RFC 2865 §5.2), 2 = Tunnel-Password (RFC 2868 §3.5), 3 = Ascend secret.
                    encrypt = value[0] - '0';
                    break;
                case "array" when value is null:
                    flags |= DictionaryAttributeFlags.Array;
                    break;
                case "concat" when value is null:
                    flags |= DictionaryAttributeFlags.Concat;
                    break;
                case "virtual" when value is null:
                    flags |= DictionaryAttributeFlags.Virtual;
                    break;
                case "secret" when value is null:
                    flags |= DictionaryAttributeFlags.Secret;
                    break;
                case "abinary" when value is null:
                    // Older files mark Ascend filters with a flag as well as the type; the type already says it.
                    break;
                default:
                    // FreeRADIUS still accepts the old style "ATTRIBUTE name number type VENDOR".
                    if (value is null && _tables.VendorsByName.TryGetValue(flag, out var named))
                    {
                        vendor = named;
                        break;
                    }

                    throw state.Error($"unknown attribute flag '{flag}'");
            }
        }

        return vendor;
    }

    private void ResolveValues()
    {
        foreach (var pending in _values)
        {
            if (!_tables.ByName.TryGetValue(pending.AttributeName, out var attribute))
            {
                throw new DictionaryException(pending.File, pending.Line, $"VALUE {pending.Name} names unknown attribute {pending.AttributeName}");
            }

            var error = _tables.AddValue(attribute, pending.Name, pending.Number);
            if (error is not null)
            {
                throw new DictionaryException(pending.File, pending.Line, error);
            }
        }
    }

    private sealed record PendingValue(string AttributeName, string Name, long Number, string File, int Line);
}
