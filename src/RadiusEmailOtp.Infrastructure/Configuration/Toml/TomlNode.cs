namespace RadiusEmailOtp.Infrastructure.Configuration.Toml;

/// <summary>A TOML value with the 1-based line it was written on, so every config error can name its line.</summary>
public abstract class TomlNode
{
    protected TomlNode(int line)
    {
        Line = line;
    }

    /// <summary>The 1-based line of the key (or value) in the source file.</summary>
    public int Line { get; internal set; }

    /// <summary>A short TOML type name for error messages ("string", "integer", "table", …).</summary>
    public abstract string TypeName { get; }
}
