using FluentValidation;
using Mediator;

namespace Gorgias.Integration.Application.Common.Behaviours;

/// <summary>
/// Runs the message's FluentValidation validators (shape only) before its handler; invalid input throws
/// <see cref="ValidationException"/>, which the Web adapter turns into a 400.
/// </summary>
public sealed class ValidationBehaviour<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private readonly IValidator<TMessage>[] _validators = validators.ToArray();

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

        return failures is null ? next(message, cancellationToken) : throw new ValidationException(failures);
    }
}
