namespace Amrs.Data.Database;

/// <summary>
/// The clinic cannot start as set up: a setting is missing or wrong (the message names the setting, what was found
/// and what is allowed), or the stored data needs a person before the database can be upgraded (the message names the
/// rows). Start-up stops with the message as it is.
/// </summary>
public sealed class ConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
