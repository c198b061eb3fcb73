using System.Text;
using Microsoft.Extensions.Logging;

namespace RadiusEmailOtp.Logging;

/// <summary>
/// Appends lines to a file (created 0640). <see cref="Reopen"/> closes it and opens the path again, so after logrotate
/// moved the file away the next line goes to a fresh one (the SIGHUP of a <c>postrotate</c> script). A write that fails
/// (disk full, directory gone) drops the line and the file is reopened on the next one.
/// </summary>
internal sealed class FileLogSink : ILogSink
{
    private readonly string _path;
    private readonly Lock _lock = new();
    private StreamWriter? _writer;
    private bool _reopen;

    public FileLogSink(string path)
    {
        _path = path;
        // Opened at once, so a path that cannot be written stops the start with a clear error, not silently later.
        _writer = Open(path);
    }

    public string Path => _path;

    public void Write(LogLevel level, string line)
    {
        lock (_lock)
        {
            try
            {
                if (_reopen || _writer is null)
                {
                    _reopen = false;
                    _writer?.Dispose();
                    _writer = null;
                    _writer = Open(_path);
                }

                _writer.WriteLine(line);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _writer?.Dispose();
                _writer = null;
            }
        }
    }

    public void Flush()
    {
        lock (_lock)
        {
            try
            {
                _writer?.Flush();
            }
            catch (IOException)
            {
                _reopen = true;
            }
        }
    }

    /// <summary>Safe from any thread (a signal handler): the pump reopens the file before it writes the next line.</summary>
    public void Reopen()
    {
        lock (_lock)
        {
            try
            {
                _writer?.Flush();
            }
            catch (IOException)
            {
                // The old file is being closed anyway.
            }

            _reopen = true;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }

    private static StreamWriter Open(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        }

        return new StreamWriter(new FileStream(path, options), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }
}
