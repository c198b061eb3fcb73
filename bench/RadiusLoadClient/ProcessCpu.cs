using System.Globalization;

namespace RadiusLoadClient;

/// <summary>CPU time (user + system, all threads) of another process, from /proc/PID/stat; null when it cannot be read.</summary>
internal static class ProcessCpu
{
    // proc(5): utime and stime are fields 14 and 15, in clock ticks of USER_HZ, which is 100 on Linux.
    private const double TicksPerSecond = 100;

    public static TimeSpan? Read(int? pid)
    {
        if (pid is not { } id)
        {
            return null;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{id.ToString(CultureInfo.InvariantCulture)}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
            var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds((utime + stime) / TicksPerSecond);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
