using Amrs.Cli;

return await AmrsCommandLine.Create().Parse(args).InvokeAsync();
