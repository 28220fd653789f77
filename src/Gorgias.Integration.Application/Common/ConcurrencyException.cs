namespace Gorgias.Integration.Application.Common;

/// <summary>
/// Another writer saved the same aggregate first. The caller reloads and decides again; nothing was overwritten.
/// </summary>
public sealed class ConcurrencyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConcurrencyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public ConcurrencyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public ConcurrencyException()
        : base("The record was changed by another writer.")
    {
    }
}
