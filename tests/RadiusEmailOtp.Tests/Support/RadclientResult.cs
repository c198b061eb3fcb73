using System.Text.RegularExpressions;

namespace RadiusEmailOtp.Tests.Support;

/// <summary>What radclient printed; <see cref="ReplyCode"/> and <see cref="Attributes"/> come from its "Received …" block.</summary>
internal sealed partial record RadclientResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>"Access-Accept", "Access-Reject", "Access-Challenge", or null when no reply came.</summary>
    public string? ReplyCode => ReceivedLine().Match(Stdout) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>The reply's attributes as radclient printed them, in order: ("Reply-Message", "\"text\"").</summary>
    public IReadOnlyList<(string Name, string Value)> Attributes
    {
        get
        {
            var result = new List<(string, string)>();
            var inReply = false;
            foreach (var line in Stdout.Split('\n'))
            {
                if (ReceivedLine().IsMatch(line))
                {
                    inReply = true;
                    continue;
                }

                if (inReply && AttributeLine().Match(line) is { Success: true } m)
                {
                    result.Add((m.Groups[1].Value, m.Groups[2].Value.Trim()));
                }
                else if (inReply && line.Length > 0 && !char.IsWhiteSpace(line[0]))
                {
                    inReply = false;
                }
            }

            return result;
        }
    }

    public string? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name).Value;

    public override string ToString() => $"exit {ExitCode}\n{Stdout}\n{Stderr}";

    [GeneratedRegex(@"Received ((?:Access|Accounting)-[A-Za-z]+) Id")]
    private static partial Regex ReceivedLine();

    [GeneratedRegex(@"^\s+([A-Za-z0-9-]+) = (.*)$")]
    private static partial Regex AttributeLine();
}
