namespace RadiusLoadClient;

/// <summary>A bad command line; the message is printed as one line.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }
}
