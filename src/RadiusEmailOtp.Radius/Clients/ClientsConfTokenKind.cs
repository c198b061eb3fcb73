namespace RadiusEmailOtp.Radius.Clients;

/// <summary>The kinds of tokens in a FreeRADIUS configuration file.</summary>
internal enum ClientsConfTokenKind
{
    Word,
    Quoted,
    OpenBrace,
    CloseBrace,
    Equals,
}
