using RadiusEmailOtp.Server;

namespace RadiusEmailOtp.Tests.Server;

/// <summary>Rejects every request at once and counts the calls.</summary>
internal sealed class CountingHandler : IAccessRequestHandler
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public Task<RadiusResponse?> HandleAsync(RadiusRequestContext request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult<RadiusResponse?>(RadiusResponse.Reject());
    }
}
