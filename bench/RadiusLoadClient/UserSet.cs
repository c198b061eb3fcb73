using System.Globalization;
using System.Text;

namespace RadiusLoadClient;

/// <summary>The benchmark's users: PREFIX + N for N in FIRST .. FIRST+COUNT-1, each with a password from a format ("pin{0}").</summary>
internal sealed record UserSet(string Prefix, int First, int Count, string PasswordFormat)
{
    public static UserSet From(LoadOptions options, string defaultPassword) => new(
        options.String("prefix", "bench"),
        options.Int("first", 1, 0, int.MaxValue / 2),
        options.Int("users", 10_000, 1, 10_000_000),
        options.String("password", defaultPassword));

    public IEnumerable<int> Numbers => Enumerable.Range(First, Count);

    public string Name(int number) => Prefix + number.ToString(CultureInfo.InvariantCulture);

    public byte[] Password(int number) => Encoding.UTF8.GetBytes(string.Format(CultureInfo.InvariantCulture, PasswordFormat, number));

    public HashSet<string> Names() => Numbers.Select(Name).ToHashSet(StringComparer.Ordinal);

    public List<RequestSpec> PasswordRequests() => Numbers.Select(n => new RequestSpec(Name(n), Password(n), null)).ToList();
}
