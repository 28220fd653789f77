using System.Reflection;
using FluentValidation;
using Gorgias.Integration.Application.Common.Results;
using Mediator;

namespace Gorgias.Integration.Application.Common.Behaviours;

/// <summary>
/// Runs the message's FluentValidation validators (shape only) before its handler. Invalid input of a use case that
/// answers a <see cref="Result{T}"/> becomes that result's <see cref="ErrorKind.Validation"/> error, naming every bad
/// field, so expected failures travel one channel. A message answering anything else is internal (the worker's), and
/// invalid input there is a programming error: it throws <see cref="ValidationException"/>.
/// </summary>
internal sealed class ValidationBehaviour<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    // The container hands an IEnumerable as a fresh array per scope (one per request): use it rather than copy it.
    private readonly IValidator<TMessage>[] _validators = validators as IValidator<TMessage>[] ?? validators.ToArray();

    /// <inheritdoc />
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (_validators.Length == 0)
        {
            return next(message, cancellationToken);
        }

        var context = new ValidationContext<TMessage>(message);
        List<FluentValidation.Results.ValidationFailure>? failures = null;
        foreach (var validator in _validators)
        {
            var result = validator.Validate(context);
            if (!result.IsValid)
            {
                (failures ??= []).AddRange(result.Errors);
            }
        }

        if (failures is null)
        {
            return next(message, cancellationToken);
        }

        return FailureOf<TResponse>.Create is { } create
            ? ValueTask.FromResult(create(Errors.Validation(failures.Select(f => new ValidationFailureField(FieldName(f.PropertyName), f.ErrorMessage)))))
            : throw new ValidationException(failures);
    }

    // Fields are named as the request names them (query parameters and JSON are camelCase).
    private static string FieldName(string? property) =>
        string.IsNullOrEmpty(property) ? "request" : char.ToLowerInvariant(property[0]) + property[1..];
}

/// <summary>Builds a failed <typeparamref name="TResponse"/> when it is a <see cref="Result{T}"/>; looked up once per type.</summary>
internal static class FailureOf<TResponse>
{
    public static readonly Func<Error, TResponse>? Create = Find();

    private static Func<Error, TResponse>? Find()
    {
        var type = typeof(TResponse);
        if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(Result<>))
        {
            return null;
        }

        var failure = type.GetMethod(nameof(Result<object>.Failure), BindingFlags.Public | BindingFlags.Static, [typeof(Error)])!;
        return failure.CreateDelegate<Func<Error, TResponse>>();
    }
}
