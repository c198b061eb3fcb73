namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>How each log line is written: <c>[log] format</c>.</summary>
public enum LogFormat
{
    /// <summary>FreeRADIUS-style text lines.</summary>
    Text,

    /// <summary>One JSON object per line.</summary>
    Json,
}
