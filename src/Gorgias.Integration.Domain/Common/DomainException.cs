namespace Gorgias.Integration.Domain.Common;

/// <summary>
/// The one exception the domain throws when a rule is broken. Its message says what is wrong in words a
/// user of the integration can act on.
/// </summary>
public sealed class DomainException : Exception
{
    /// <summary>Creates the exception with a message that names the broken rule.</summary>
    public DomainException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public DomainException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public DomainException()
        : base("A domain rule was broken.")
    {
    }

    /// <summary>Throws a <see cref="DomainException"/> with <paramref name="message"/> unless <paramref name="rule"/> holds.</summary>
    public static void ThrowUnless(bool rule, string message)
    {
        if (!rule)
        {
            throw new DomainException(message);
        }
    }
}
