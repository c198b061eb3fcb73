namespace RadiusEmailOtp.Server;

/// <summary>Decides an Access-Request. Runs off the receive loop; may take seconds (it may send mail).</summary>
internal interface IAccessRequestHandler
{
    Task<RadiusResponse> HandleAsync(RadiusRequestContext request, CancellationToken cancellationToken);
}
