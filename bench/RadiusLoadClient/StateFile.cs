namespace RadiusLoadClient;

/// <summary>The State each user's Access-Challenge carried, one "user TAB hex" line each, from the pin step to the otp step.</summary>
internal static class StateFile
{
    public static void Write(string path, IEnumerable<KeyValuePair<string, byte[]>> states) =>
        File.WriteAllLines(path, states.Select(s => s.Key + "\t" + Convert.ToHexString(s.Value)));

    public static Dictionary<string, byte[]> Read(string path)
    {
        var states = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            var tab = line.IndexOf('\t');
            if (tab > 0)
            {
                states[line[..tab]] = Convert.FromHexString(line.AsSpan(tab + 1));
            }
        }

        return states;
    }
}
