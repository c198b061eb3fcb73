using RadiusEmailOtp.Radius.Dictionary;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>
/// The dictionary of <c>[server] dictionary</c>, loaded the first time a binder needs it (only <c>reply_attributes</c> does),
/// so configurations without reply attributes load as fast as before. A broken dictionary is reported once, with its own file and line.
/// </summary>
public sealed class ConfigDictionary
{
    private readonly string _path;
    private readonly ConfigDiagnostics _diagnostics;
    private bool _tried;
    private RadiusDictionary? _dictionary;

    public ConfigDictionary(string path, ConfigDiagnostics diagnostics)
    {
        _path = path;
        _diagnostics = diagnostics;
    }

    /// <summary>The loaded dictionary, or null when it cannot be loaded (the error is then in the diagnostics).</summary>
    public RadiusDictionary? Get()
    {
        if (!_tried)
        {
            _tried = true;
            try
            {
                _dictionary = RadiusDictionary.Load(_path);
            }
            catch (DictionaryException ex)
            {
                _diagnostics.Add(new ConfigDiagnostic(
                    ex.File, ex.Line, true, $"{ex.Problem} (the dictionary of [server] dictionary = \"{_path}\", needed to check reply_attributes)"));
            }
        }

        return _dictionary;
    }
}
