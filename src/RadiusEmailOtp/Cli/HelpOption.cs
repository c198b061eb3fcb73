namespace RadiusEmailOtp.Cli;

/// <summary>One line of a command's <c>--help</c>: the option as typed (<c>--user U</c>) and what it does.</summary>
internal sealed record HelpOption(string Name, string Description);
