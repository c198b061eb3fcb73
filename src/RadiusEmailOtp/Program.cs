using RadiusEmailOtp.Cli;

return await CommandLine.RunAsync(args);
