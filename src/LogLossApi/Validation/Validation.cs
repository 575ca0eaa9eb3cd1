using FluentValidation;
using FluentValidation.Results;
using LogLossApi.Scoring;
using LogLossApi.Wire.Input;
using LogLossApi.Wire.Limits;

namespace LogLossApi.Validation;

/// <summary>A request that carries samples, so its size can be checked against <see cref="LimitsOptions.MaxSamples"/>.</summary>
public interface ISampleRequest
{
    /// <summary>The number of samples in the request.</summary>
    int SampleCount { get; }
}

/// <summary>
/// Counts path-keyed errors across one validation so that a million bad values cost a counter, not a million
/// failure objects: the first <see cref="MaxErrors"/> are kept, the rest only counted.
/// </summary>
public sealed class ErrorBudget
{
    public const int MaxErrors = 20;
    private const string Key = nameof(ErrorBudget);

    public int Reported { get; private set; }

    public int Omitted { get; private set; }

    /// <summary>Counts <paramref name="omitted"/> errors that were found but not kept.</summary>
    public void Count(int omitted) => Omitted += omitted;

    public static ErrorBudget Attach<T>(ValidationContext<T> context)
    {
        var budget = new ErrorBudget();
        context.RootContextData[Key] = budget;
        return budget;
    }

    /// <summary>Adds a failure keyed by <paramref name="path"/> while the budget lasts; afterwards only counts it.</summary>
    public static void Report<T>(ValidationContext<T> context, string path, string message)
    {
        var budget = context.RootContextData.TryGetValue(Key, out var value) ? (ErrorBudget)value : Attach(context);
        if (budget.Reported >= MaxErrors)
        {
            budget.Omitted++;
            return;
        }

        budget.Reported++;
        context.AddFailure(new ValidationFailure(path, message));
    }
}

/// <summary>Rules over numeric arrays: vectorised bounds first, then one pass only over a span that fails them, no allocation per element, errors keyed "name[i]".</summary>
public static class ArrayRules
{
    /// <summary>
    /// Reports every element <paramref name="rule"/> has a message for, keyed by <paramref name="keys"/>
    /// (element <paramref name="offset"/> + i of column <paramref name="name"/>); returns how many did.
    /// </summary>
    public static int Each<T>(ValidationContext<T> context, ColumnKeys keys, string name, ReadOnlySpan<double> values, ValueRule rule, long offset = 0) =>
        Each(values, rule, (index, message) => ErrorBudget.Report(context, keys.Element(name, offset + index), message));

    /// <summary>Calls <paramref name="report"/> for every element <paramref name="rule"/> has a message for; returns how many.</summary>
    public static int Each(ReadOnlySpan<double> values, ValueRule rule, Action<int, string> report)
    {
        if (rule.AllPass(values))
        {
            return 0;
        }

        var bad = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (rule.Problem(values[i]) is { } message)
            {
                bad++;
                report(i, message);
            }
        }

        return bad;
    }

    /// <summary>Reports <paramref name="name"/> when its length differs from the labels'.</summary>
    public static bool SameLength<T>(ValidationContext<T> context, ColumnKeys keys, string name, int length, int expected)
    {
        if (length == expected)
        {
            return true;
        }

        ErrorBudget.Report(context, keys.Column(name), $"Must have one value per label: {expected} expected, {length} given.");
        return false;
    }

    public static ValueRule FiniteInUnitInterval { get; } = new(0, 1, value =>
        !double.IsFinite(value) ? "Must be a finite number."
        : value is < 0 or > 1 ? "Must be in [0, 1]."
        : null);

    /// <summary>A binary label: in [0, 1]; −1, from the −1/+1 convention of margins and SVMs, is told to become 0.</summary>
    public static ValueRule Label { get; } = new(0, 1, value =>
        !double.IsFinite(value) ? "Must be a finite number."
        : value == -1 ? "Must be in [0, 1]: labels are 0 and 1 (or soft labels between), so map the −1/+1 convention's −1 to 0."
        : value is < 0 or > 1 ? "Must be in [0, 1]."
        : null);

    public static ValueRule Finite { get; } = new(-double.MaxValue, double.MaxValue, value =>
        double.IsFinite(value) ? null : "Must be a finite number.");

    public static ValueRule FiniteNonNegative { get; } = new(0, double.MaxValue, value =>
        !double.IsFinite(value) ? "Must be a finite number."
        : value < 0 ? "Must be ≥ 0."
        : null);
}

/// <summary>
/// A rule for each value of an array. Every value in [<paramref name="low"/>, <paramref name="high"/>] passes, so an
/// array whose minimum and maximum lie there (two vectorised passes, in which a NaN fails both comparisons) needs no
/// call per value; otherwise <see cref="Problem"/> gives each value's message, or null when it passes.
/// </summary>
public sealed class ValueRule(double low, double high, Func<double, string?> problem)
{
    public Func<double, string?> Problem => problem;

    /// <summary>A rule no interval vouches for (say, "0 or 1"): every value goes to <paramref name="problem"/>.</summary>
    public static ValueRule PerValue(Func<double, string?> problem) => new(double.PositiveInfinity, double.NegativeInfinity, problem);

    public bool AllPass(ReadOnlySpan<double> values) =>
        values.IsEmpty || (System.Numerics.Tensors.TensorPrimitives.Min(values) >= low && System.Numerics.Tensors.TensorPrimitives.Max(values) <= high);
}

/// <summary>The library's option rules (<see cref="OptionProblem"/>), reported under "options.name".</summary>
public static class OptionProblems
{
    /// <summary>Adds a rule that reports every problem <paramref name="problems"/> finds in a request's options.</summary>
    public static void RuleForOptions<T>(this AbstractValidator<T> validator, Func<T, IReadOnlyList<OptionProblem>> problems) =>
        validator.RuleFor(r => r).Custom((request, context) =>
        {
            foreach (var problem in problems(request))
            {
                ErrorBudget.Report(context, "options." + problem.Option, problem.Message);
            }
        });
}

/// <summary>
/// Errors found outside a validator, while a body's rows are read block by block: the first
/// <see cref="ErrorBudget.MaxErrors"/> kept, the rest only counted, answered as the validator's errors are.
/// </summary>
public sealed class RowProblems
{
    private readonly List<(string Key, string Message)> _kept = [];

    public int Count { get; private set; }

    public void Add(string key, string message)
    {
        if (_kept.Count < ErrorBudget.MaxErrors)
        {
            _kept.Add((key, message));
        }

        Count++;
    }

    /// <summary>Reports every value of <paramref name="values"/> that <paramref name="rule"/> refuses (row <paramref name="firstRow"/> + i); returns how many.</summary>
    public int Check(ColumnKeys keys, string column, ReadOnlySpan<double> values, long firstRow, ValueRule rule) =>
        ArrayRules.Each(values, rule, (i, message) => Add(keys.Element(column, firstRow + i), message));

    /// <summary>Adds the library's option problems, keyed "options.name" as validators key them.</summary>
    public void AddOptions(IReadOnlyList<OptionProblem> problems)
    {
        foreach (var problem in problems)
        {
            Add("options." + problem.Option, problem.Message);
        }
    }

    /// <summary>The 400 answer, with the same shape as a validator's.</summary>
    public Microsoft.AspNetCore.Http.HttpResults.ValidationProblem ToProblem()
    {
        var budget = new ErrorBudget();
        budget.Count(Count - _kept.Count);
        return ValidationProblems.From(new ValidationResult([.. _kept.Select(e => new ValidationFailure(e.Key, e.Message))]), budget);
    }
}

/// <summary>Runs the request's validator; a request it rejects never reaches the handler.</summary>
/// <remarks>
/// A typed filter, not a filter factory, so it only runs after binding succeeded (dotnet/aspnetcore#64341).
/// Requests over <see cref="LimitsOptions.MaxSamples"/> are refused with 413 before their values are checked.
/// </remarks>
public sealed class ValidationFilter<T>(IValidator<T> validator, Microsoft.Extensions.Options.IOptions<LimitsOptions> limits) : IEndpointFilter
    where T : class
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.Arguments.OfType<T>().Single();
        if (request is IDisposable disposable)
        {
            context.HttpContext.Response.RegisterForDispose(disposable);
        }

        if (request is ISampleRequest { SampleCount: var count } && count > limits.Value.MaxSamples)
        {
            throw new BadHttpRequestException($"The request has {count} samples; this service accepts at most {limits.Value.MaxSamples}.", StatusCodes.Status413PayloadTooLarge);
        }

        var validation = new ValidationContext<T>(request);
        var budget = ErrorBudget.Attach(validation);
        var result = await validator.ValidateAsync(validation, context.HttpContext.RequestAborted);
        return result.IsValid ? await next(context) : ValidationProblems.From(result, budget);
    }
}

public static class ValidationProblems
{
    /// <summary>400 problem details with errors keyed by JSON path, at most 20 keys and then "…": ["and N more"].</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem From(ValidationResult result, ErrorBudget budget)
    {
        var grouped = result.Errors
            .GroupBy(e => e.PropertyName, StringComparer.Ordinal)
            .Select(g => new KeyValuePair<string, string[]>(g.Key, [.. g.Select(e => e.ErrorMessage).Distinct(StringComparer.Ordinal)]))
            .ToList();
        var omitted = Math.Max(0, grouped.Count - ErrorBudget.MaxErrors) + budget.Omitted;
        var errors = grouped.Take(ErrorBudget.MaxErrors).ToDictionary(StringComparer.Ordinal);
        if (omitted > 0)
        {
            errors["…"] = [$"and {omitted} more"];
        }

        var total = Math.Min(grouped.Count, ErrorBudget.MaxErrors) + omitted;
        return TypedResults.ValidationProblem(
            errors,
            detail: total == 1 ? "1 field of the request is invalid; see errors." : $"{total} fields of the request are invalid; see errors.",
            title: "The request is invalid.");
    }
}

public static class ValidationEndpointExtensions
{
    /// <summary>Validates the endpoint's <typeparamref name="T"/> body with its registered <see cref="IValidator{T}"/>.</summary>
    public static RouteHandlerBuilder WithValidation<T>(this RouteHandlerBuilder builder)
        where T : class =>
        builder.AddEndpointFilter<ValidationFilter<T>>().ProducesValidationProblem();
}
