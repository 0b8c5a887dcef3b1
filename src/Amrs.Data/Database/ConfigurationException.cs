namespace Amrs.Data.Database;

/// <summary>
/// A setting is missing or wrong. The message names the setting, what was found and what is allowed, so that
/// start-up can stop with it as it is.
/// </summary>
public sealed class ConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
