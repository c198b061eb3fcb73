namespace RadiusEmailOtp.Radius.Dictionary;

/// <summary>The block state of one dictionary file; like FreeRADIUS, vendor and TLV blocks do not cross $INCLUDE boundaries.</summary>
internal sealed class DictionaryFileState
{
    public DictionaryFileState(string path) => Path = path;

    public string Path { get; }

    public int Line { get; set; }

    /// <summary>The vendor of an open BEGIN-VENDOR block, or null.</summary>
    public DictionaryVendor? Vendor { get; set; }

    /// <summary>The OID prefix attributes of the open vendor block get: "26.VENDOR" or "EVS-OID.VENDOR".</summary>
    public string VendorPrefix { get; set; } = "";

    public int VendorLine { get; set; }

    /// <summary>The open BEGIN-TLV blocks, innermost on top.</summary>
    public Stack<(DictionaryAttribute Parent, int Line)> Tlvs { get; } = new();

    public DictionaryException Error(string problem) => new(Path, Line, problem);
}
