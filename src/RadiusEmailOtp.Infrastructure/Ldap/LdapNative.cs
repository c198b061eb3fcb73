using System.DirectoryServices.Protocols;
using System.Reflection;
using System.Runtime.InteropServices;

namespace RadiusEmailOtp.Infrastructure.Ldap;

/// <summary>
/// Sets libldap options on one connection's own handle. System.DirectoryServices.Protocols on Linux bounds neither a
/// bind against a server that accepts and never answers (its Timeout is not passed on) nor offers a CA file or a
/// per-connection "do not verify"; libldap has all of them per handle (measured: field-notes.md, LDAP).
/// </summary>
internal static class LdapNative
{
    private const int OptTimeout = 0x5002;
    private const int OptNetworkTimeout = 0x5005;
    private const int OptTlsCaCertFile = 0x6002;
    private const int OptTlsRequireCert = 0x6006;
    private const int OptTlsNewContext = 0x600F;
    private const int TlsNever = 0;
    private const int TlsDemand = 2;

    // The names System.DirectoryServices.Protocols tries, in its order, so both load the same library.
    private static readonly string[] s_libraries = ["libldap.so.2", "libldap-2.6.so.0", "libldap-2.5.so.0", "libldap-2.4.so.2"];

    private static readonly FieldInfo? s_handleField = typeof(LdapConnection).GetField("_ldapHandle", BindingFlags.NonPublic | BindingFlags.Instance);

    private static readonly Lazy<Functions?> s_functions = new(Load);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetTimevalOption(IntPtr ld, int option, ref Timeval value);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetIntOption(IntPtr ld, int option, ref int value);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetStringOption(IntPtr ld, int option, [MarshalAs(UnmanagedType.LPUTF8Str)] string value);

    /// <summary>
    /// Applies the network and operation timeouts and, for TLS, the trust settings and a fresh TLS context; returns
    /// false with the reason when libldap or the connection's handle cannot be reached (the caller fails closed).
    /// </summary>
    public static bool TryApply(LdapConnection connection, LdapResolverSettings settings, bool tls, out string error)
    {
        error = string.Empty;
        var functions = s_functions.Value;
        if (functions is null || s_handleField?.GetValue(connection) is not SafeHandle handle)
        {
            error = "libldap options cannot be set (libldap or the connection handle was not found)";
            return false;
        }

        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            var ld = handle.DangerousGetHandle();
            var network = Timeval.From(settings.ConnectTimeout);
            var response = Timeval.From(settings.ResponseTimeout);
            var rc = functions.Timeval(ld, OptNetworkTimeout, ref network) | functions.Timeval(ld, OptTimeout, ref response);
            if (tls)
            {
                if (settings.CaFile is not null)
                {
                    rc |= functions.String(ld, OptTlsCaCertFile, settings.CaFile);
                }

                var require = settings.TlsVerify ? TlsDemand : TlsNever;
                rc |= functions.Int(ld, OptTlsRequireCert, ref require);
                var isServer = 0;
                rc |= functions.Int(ld, OptTlsNewContext, ref isServer);
            }

            if (rc != 0)
            {
                error = "libldap refused a connection option";
                return false;
            }

            return true;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static Functions? Load()
    {
        foreach (var name in s_libraries)
        {
            if (NativeLibrary.TryLoad(name, out var library) && NativeLibrary.TryGetExport(library, "ldap_set_option", out var export))
            {
                return new Functions(
                    Marshal.GetDelegateForFunctionPointer<SetTimevalOption>(export),
                    Marshal.GetDelegateForFunctionPointer<SetIntOption>(export),
                    Marshal.GetDelegateForFunctionPointer<SetStringOption>(export));
            }
        }

        return null;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timeval
    {
        public nint Seconds;
        public nint Microseconds;

        public static Timeval From(TimeSpan span)
        {
            var micros = (long)span.TotalMicroseconds;
            return new Timeval { Seconds = (nint)(micros / 1_000_000), Microseconds = (nint)(micros % 1_000_000) };
        }
    }

    private sealed record Functions(SetTimevalOption Timeval, SetIntOption Int, SetStringOption String);
}
