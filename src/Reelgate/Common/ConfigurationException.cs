namespace Reelgate.Common;

/// <summary>
/// A setting an operator must change before Reelgate can run. The message is a sentence for that operator, naming the
/// setting and what to set it to; <c>serve</c> prints it and exits with code 2 instead of a stack trace.
/// </summary>
public sealed class ConfigurationException(string message, Exception? inner = null) : InvalidOperationException(message, inner);
