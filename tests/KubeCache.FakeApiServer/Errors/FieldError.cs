namespace KubeCache.FakeApiServer.Errors;

/// <summary>One field validation error, worded like apimachinery's <c>field.Error</c>.</summary>
internal sealed record FieldError(string Field, string Reason, string Body)
{
    /// <summary>The error without the value it names (<c>expected string, got number</c>), where the body quotes one.</summary>
    public string Detail { get; init; } = Body;

    public static FieldError Invalid(string field, string valueText, string detail) =>
        new(field, "FieldValueInvalid", $"Invalid value: {valueText}: {detail}");

    public static FieldError Required(string field, string? detail = null) =>
        new(field, "FieldValueRequired", detail is null ? "Required value" : $"Required value: {detail}");

    public static FieldError NotSupported(string field, string valueText, IEnumerable<string> allowed) =>
        new(field, "FieldValueNotSupported", $"Unsupported value: {valueText}: supported values: {string.Join(", ", allowed)}");

    public static FieldError Forbidden(string field, string detail) =>
        new(field, "FieldValueForbidden", $"Forbidden: {detail}");

    public override string ToString() => $"{Field}: {Body}";
}
