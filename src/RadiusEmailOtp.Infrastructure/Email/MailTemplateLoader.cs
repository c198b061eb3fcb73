namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>
/// Resolves a provider's TEMPLATE: <c>file://NAME.eml</c> under the template root, or an inline MIME message.
/// The file must stay inside the root after resolving <c>..</c> and symbolic links (behaviour.md §3, fix G14).
/// </summary>
internal static class MailTemplateLoader
{
    private const string FilePrefix = "file://";
    private const long MaxTemplateBytes = 1 << 20;

    public static bool TryLoad(string value, string templateRoot, out MailTemplate? template, out string? error)
    {
        template = null;
        if (!value.StartsWith(FilePrefix, StringComparison.OrdinalIgnoreCase))
        {
            if (!HasHeaderBlock(value))
            {
                error = "TEMPLATE is neither file://NAME.eml nor an inline MIME message (header lines such as \"Subject: ...\", a blank line, then the body)";
                return false;
            }

            template = new MailTemplate("inline TEMPLATE", value);
            error = null;
            return true;
        }

        if (!TryResolve(value[FilePrefix.Length..], templateRoot, out var path, out error))
        {
            return false;
        }

        try
        {
            if (new FileInfo(path).Length > MaxTemplateBytes)
            {
                error = $"template {path} is larger than 1 MiB";
                return false;
            }

            template = new MailTemplate(path, File.ReadAllText(path));
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read template {path}: {ex.Message}";
            return false;
        }
    }

    /// <summary>
    /// True when <paramref name="text"/> starts with a header block: one or more <c>Name: value</c> lines (folded
    /// continuation lines allowed) ended by a blank line. A bare ':' is not enough: "mail.example.com:25" or a URL
    /// without file:// would otherwise be mailed as a message.
    /// </summary>
    internal static bool HasHeaderBlock(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var headers = 0;
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                return headers > 0;
            }

            if (line[0] is ' ' or '\t')
            {
                if (headers == 0)
                {
                    return false;
                }

                continue;
            }

            // RFC 5322 §2.2: a field name is printable US-ASCII except ':', then ':'.
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line[..colon].Any(c => c is <= ' ' or > '~'))
            {
                return false;
            }

            headers++;
        }

        return false;
    }

    /// <summary>Maps a <c>file://</c> name to a path under <paramref name="templateRoot"/>, refusing any escape.</summary>
    public static bool TryResolve(string name, string templateRoot, out string path, out string? error)
    {
        path = string.Empty;
        var parts = name.Split('/', '\\');
        if (name.Length == 0 || Path.IsPathRooted(name) || parts.Contains("..") || name.Contains('\0', StringComparison.Ordinal))
        {
            error = $"template \"{name}\" must be a relative name under the template root, without \"..\"";
            return false;
        }

        var root = RealPath(Path.GetFullPath(templateRoot));
        var rootWithSeparator = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        var candidate = Path.GetFullPath(Path.Combine(root, name));
        if (!File.Exists(candidate))
        {
            error = $"template \"{name}\" does not exist under {root}";
            return false;
        }

        var real = RealPath(candidate);
        if (!real.StartsWith(rootWithSeparator, StringComparison.Ordinal))
        {
            error = $"template \"{name}\" resolves to {real}, outside the template root {root}";
            return false;
        }

        path = real;
        error = null;
        return true;
    }

    // Resolves symbolic links component by component, so a link anywhere on the path is followed (bounded hops).
    private static string RealPath(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath) ?? string.Empty;
        var current = root;
        var pending = new Queue<string>(fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries));
        var hops = 0;
        while (pending.Count > 0)
        {
            var next = Path.Combine(current, pending.Dequeue());
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is { } target && hops++ < 40)
            {
                var resolved = Path.GetFullPath(Path.Combine(current, target));
                var rest = pending.ToArray();
                root = Path.GetPathRoot(resolved) ?? string.Empty;
                current = root;
                pending = new Queue<string>(resolved[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Concat(rest));
                continue;
            }

            current = next;
        }

        return current;
    }
}
