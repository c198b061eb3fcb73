namespace RadiusEmailOtp.Radius.Dictionary;

/// <summary>A dictionary file could not be loaded; the message reads "FILE:LINE: what is wrong".</summary>
public sealed class DictionaryException : Exception
{
    /// <summary>Creates the exception for a problem at a line of a file.</summary>
    public DictionaryException(string file, int line, string problem)
        : base($"{file}:{line}: {problem}")
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    /// <summary>The path of the file holding the problem.</summary>
    public string File { get; }

    /// <summary>The 1-based line of the problem, 0 when the file itself is the problem.</summary>
    public int Line { get; }

    /// <summary>What is wrong, without the file and line.</summary>
    public string Problem { get; }
}
