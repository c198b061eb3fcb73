namespace RadiusEmailOtp.Server;

/// <summary>The handler used when no authentication backend is configured: every Access-Request is rejected.</summary>
internal sealed class RejectAllHandler : IAccessRequestHandler
{
    public Task<RadiusResponse> HandleAsync(RadiusRequestContext request, CancellationToken cancellationToken) =>
        Task.FromResult(RadiusResponse.Reject());
}
