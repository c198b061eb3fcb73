namespace RadiusEmailOtp.Server;

/// <summary>Decides an Access-Request. Runs off the receive loop; may take seconds (it may send mail).</summary>
internal interface IAccessRequestHandler
{
    /// <summary>
    /// The answer, or null to send nothing: the request ran out of time (<see cref="RadiusRequestContext.AnswerBy"/>)
    /// before anything that needs an answer happened. It is counted as shed and forgotten, so a retransmit starts afresh.
    /// </summary>
    Task<RadiusResponse?> HandleAsync(RadiusRequestContext request, CancellationToken cancellationToken);
}
