namespace RadiusEmailOtp.Infrastructure.Configuration.Toml;

/// <summary>A string, integer (long), float (double), boolean or date-time value.</summary>
public sealed class TomlScalarNode : TomlNode
{
    public TomlScalarNode(object value, int line)
        : base(line)
    {
        Value = value;
    }

    public object Value { get; }

    public override string TypeName => Value switch
    {
        string => "string",
        long => "integer",
        double => "float",
        bool => "boolean",
        _ => "date-time",
    };

    public override string ToString() => Value.ToString() ?? string.Empty;
}
