using System.Globalization;
using System.Net;
using System.Text;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Radius.Dictionary;

namespace RadiusEmailOtp.Server;

/// <summary>
/// Appends one FreeRADIUS <c>detail</c> record per Accounting-Request: a date line, the packet's addresses, its
/// attributes as tab-indented <c>Name = value</c> lines decoded with the loaded dictionary, a Timestamp, a blank line.
/// Writes are serialised here; each record is flushed before the Accounting-Response leaves.
/// </summary>
internal sealed class DetailWriter : IDisposable
{
    private readonly RadiusDictionary? _dictionary;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private FileStream? _stream;

    public DetailWriter(string path, RadiusDictionary? dictionary, TimeProvider time)
    {
        Path = path;
        _dictionary = dictionary;
        _time = time;
    }

    public string Path { get; }

    public bool TryWrite(RadiusPacket packet, IPEndPoint source, IPEndPoint local, out string error)
    {
        var bytes = Encoding.UTF8.GetBytes(Format(packet, source, local, _time.GetUtcNow()));
        lock (_lock)
        {
            try
            {
                _stream ??= new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                _stream.Write(bytes);
                _stream.Flush();
                error = "";
                return true;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Reopened on the next record: the directory may come back, or the file was rotated away.
                _stream?.Dispose();
                _stream = null;
                error = ex.Message;
                return false;
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _stream?.Dispose();
            _stream = null;
        }
    }

    /// <summary>Text as FreeRADIUS prints it inside quotes: backslash and quote escaped, control bytes as octal.</summary>
    internal static string Printable(string text) => AttributeText.Printable(text);

    internal string Format(RadiusPacket packet, IPEndPoint source, IPEndPoint local, DateTimeOffset now)
    {
        var builder = new StringBuilder(512);
        // ctime(3) form, as FreeRADIUS writes it: "Tue Dec  1 12:53:06 2026" (local time of the server).
        var localNow = now.ToLocalTime();
        builder.Append(localNow.ToString("ddd MMM ", CultureInfo.InvariantCulture))
            .Append(localNow.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2))
            .Append(localNow.ToString(" HH:mm:ss yyyy", CultureInfo.InvariantCulture))
            .Append('\n');
        var v4 = source.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        var family = v4 ? "IP" : "IPv6";
        builder.Append(CultureInfo.InvariantCulture, $"\tPacket-Src-{family}-Address = {source.Address}\n");
        builder.Append(CultureInfo.InvariantCulture, $"\tPacket-Dst-{family}-Address = {local.Address}\n");
        builder.Append(CultureInfo.InvariantCulture, $"\tPacket-Src-IP-Port = {source.Port}\n");
        builder.Append(CultureInfo.InvariantCulture, $"\tPacket-Dst-IP-Port = {local.Port}\n");
        foreach (var attribute in packet.Attributes)
        {
            if (attribute.Type == RadiusAttributeType.MessageAuthenticator)
            {
                continue;
            }

            var (name, value) = Decode(attribute);
            builder.Append('\t').Append(name).Append(" = ").Append(value).Append('\n');
        }

        builder.Append(CultureInfo.InvariantCulture, $"\tTimestamp = {now.ToUnixTimeSeconds()}\n\n");
        return builder.ToString();
    }

    private (string Name, string Value) Decode(RadiusAttribute attribute) => AttributeText.Decode(_dictionary, attribute);
}
