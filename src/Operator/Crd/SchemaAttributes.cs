namespace KubeCache.Operator.Crd;

// Attributes on the KvCluster C# types that CrdGenerator turns into the CRD's OpenAPI schema.
// Each maps onto one OpenAPI or Kubernetes schema keyword, named after it.

/// <summary><c>description</c>: what the field does, its default and its unit.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class)]
public sealed class DescriptionAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}

/// <summary><c>minimum</c> (inclusive).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinimumAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}

/// <summary><c>maximum</c> (inclusive).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaximumAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}

/// <summary><c>minLength</c>, in characters.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinLengthAttribute(int value) : Attribute
{
    public int Value { get; } = value;
}

/// <summary><c>maxLength</c>, in characters; CEL rules need it on strings they inspect.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxLengthAttribute(int value) : Attribute
{
    public int Value { get; } = value;
}

/// <summary><c>maxItems</c>; CEL rules need it on lists they iterate.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxItemsAttribute(int value) : Attribute
{
    public int Value { get; } = value;
}

/// <summary><c>enum</c>: the only values accepted (strings or integers, matching the property's type).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class EnumAttribute(params object[] values) : Attribute
{
    public IReadOnlyList<object> Values { get; } = values;
}

/// <summary><c>pattern</c>: an ECMA-262 regular expression the string must match.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string regex) : Attribute
{
    public string Regex { get; } = regex;
}

/// <summary><c>default</c>: the API server fills it in when the field is absent.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultAttribute(object value) : Attribute
{
    public object Value { get; } = value;
}

/// <summary>
/// <c>default: {}</c> on an object: the API server creates the object when it is absent, so the
/// defaults of its own fields apply too (they only apply inside an object that exists).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultEmptyObjectAttribute : Attribute;

/// <summary>Listed in the parent object's <c>required</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredAttribute : Attribute;

/// <summary>
/// <c>x-kubernetes-validations</c>: a CEL rule evaluated with <c>self</c> bound to this node,
/// and the message the API server returns when it is false — say what to change.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true)]
public sealed class ValidationRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;

    public string Message { get; } = message;
}

/// <summary>
/// <c>x-kubernetes-preserve-unknown-fields: true</c>: a free-form object (or a list of them)
/// passed through unchanged, such as a pod's affinity. Required on JsonObject properties.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PreserveUnknownFieldsAttribute : Attribute;

/// <summary>
/// <c>x-kubernetes-list-type: map</c> with these <c>x-kubernetes-list-map-keys</c>: server-side
/// apply merges the list's items by key instead of replacing the whole list.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListMapAttribute(params string[] keys) : Attribute
{
    public IReadOnlyList<string> Keys { get; } = keys;
}
