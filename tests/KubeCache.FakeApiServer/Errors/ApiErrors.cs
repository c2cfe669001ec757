using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Resources;

namespace KubeCache.FakeApiServer.Errors;

/// <summary>
/// The one place that builds API errors, with the apiserver's reasons and message texts, so
/// clients under test see what a real cluster would send.
/// </summary>
internal static class ApiErrors
{
    public static ApiException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.GroupResource} \"{name}\" not found", Details(type.Group, type.Plural, name));

    public static ApiException NamespaceNotFound(string ns) =>
        new(404, "NotFound", $"namespaces \"{ns}\" not found", Details("", "namespaces", ns));

    public static ApiException PathNotFound() =>
        new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public static ApiException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.GroupResource} \"{name}\" already exists", Details(type.Group, type.Plural, name));

    public static ApiException Conflict(ResourceType type, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {type.GroupResource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            Details(type.Group, type.Plural, name));

    public static ApiException PreconditionFailed(ResourceType type, string name, string what, string expected, string actual) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {type.GroupResource} \"{name}\": Precondition failed: {what} in precondition: {expected}, {what} in object meta: {actual}",
            Details(type.Group, type.Plural, name));

    public static ApiException NamespaceTerminating(ResourceType type, string name, string ns) =>
        new(403, "Forbidden",
            $"{type.GroupResource} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated",
            Details(type.Group, type.Plural, name));

    public static ApiException Invalid(ResourceType type, string name, IReadOnlyList<FieldError> errors)
    {
        var causes = new JsonArray();
        foreach (var e in errors)
        {
            causes.Add(new JsonObject { ["reason"] = e.Reason, ["message"] = e.Body, ["field"] = e.Field });
        }
        var details = Details(type.Group, type.Kind, name);
        details["causes"] = causes;
        var text = errors.Count == 1
            ? errors[0].ToString()
            : "[" + string.Join(", ", errors.Select(e => e.ToString())) + "]";
        return new ApiException(422, "Invalid", $"{type.QualifiedKind} \"{name}\" is invalid: {text}", details);
    }

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    /// <summary>Unknown fields under <c>fieldValidation=Strict</c>, worded per operation as the apiserver words them.</summary>
    public static ApiException UnknownFields(ResourceType type, IReadOnlyList<string> paths, bool apply) =>
        BadRequest(apply
            ? $"failed to create typed patch object ({type.GroupVersion}, Kind={type.Kind}): {string.Join(", ", paths.Select(p => "." + p + ": field not declared in schema"))}"
            : "strict decoding error: " + string.Join(", ", paths.Select(p => $"unknown field \"{p}\"")));

    /// <summary>
    /// Server-side apply of a built-in kind whose body does not convert to the kind's typed schema
    /// (an undeclared field, a wrong type): the apiserver answers 500 with no reason, its error not
    /// being a Status (kubernetes/kubernetes#122480).
    /// </summary>
    public static ApiException TypedPatchFailed(ResourceType type, string ns, string name, IReadOnlyList<FieldError> errors)
    {
        string text = errors.Count == 1
            ? $".{errors[0].Field}: {errors[0].Detail}"
            : "errors:\n" + string.Join("\n", errors.Select(e => $"  .{e.Field}: {e.Detail}"));
        return new ApiException(500, "", $"failed to create typed patch object ({ns}/{name}; {type.Group}/{type.Version}, Kind={type.Kind}): {text}");
    }

    /// <summary>A patch that cannot be applied (failed test, missing path): 422 as the apiserver answers.</summary>
    public static ApiException PatchFailed(string message) => new(422, "Invalid", message);

    public static ApiException MethodNotAllowed() =>
        new(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", new JsonObject());

    public static ApiException UnsupportedPatch() =>
        new(415, "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");

    public static ApiException UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (got {contentType})");

    public static ApiException Expired(long requested, long oldest) =>
        new(410, "Expired", $"too old resource version: {requested} ({oldest})");

    public static ApiException ContinueExpired() =>
        new(410, "Expired",
            "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.");

    public static ApiException TooLargeResourceVersion(long requested, long current)
    {
        var details = new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject
            {
                ["reason"] = "ResourceVersionTooLarge",
                ["message"] = $"Too large resource version: {requested}, current: {current}",
            }),
            ["retryAfterSeconds"] = 1,
        };
        return new ApiException(504, "Timeout", $"Too large resource version: {requested}, current: {current}", details);
    }

    /// <summary>An RBAC refusal, worded as the apiserver's authorization filter words it.</summary>
    public static ApiException Forbidden(Auth.RequestAttributes a, string user, string reason)
    {
        var scope = a.Namespace.Length > 0 ? $"in the namespace \"{a.Namespace}\"" : "at the cluster scope";
        var why = $"User \"{user}\" cannot {a.Verb} resource \"{a.CombinedResource}\" in API group \"{a.Group}\" {scope}";
        if (reason.Length > 0)
        {
            why += ": " + reason;
        }
        var resource = a.Group.Length == 0 ? a.Resource : $"{a.Resource}.{a.Group}";
        var subject = a.Name.Length == 0 ? resource : $"{resource} \"{a.Name}\"";
        var details = new JsonObject();
        if (a.Name.Length > 0)
        {
            details["name"] = a.Name;
        }
        if (a.Group.Length > 0)
        {
            details["group"] = a.Group;
        }
        details["kind"] = a.Resource;
        return new ApiException(403, "Forbidden", $"{subject} is forbidden: {why}", details);
    }

    /// <summary>A write refused by an admission check (RBAC escalation, owner references): 403 naming the object.</summary>
    public static ApiException ForbiddenWrite(ResourceType type, string name, string why) =>
        new(403, "Forbidden", $"{type.GroupResource} \"{name}\" is forbidden: {why}", Details(type.Group, type.Plural, name));

    /// <summary>An eviction a PodDisruptionBudget refuses: 429 with the budget's figures in a DisruptionBudget cause.</summary>
    public static ApiException DisruptionBudgetViolated(string cause) =>
        new(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.", new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "DisruptionBudget", ["message"] = cause }),
        });

    public static ApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    public static ApiException InternalError(string message) =>
        new(500, "InternalError", $"Internal error occurred: {message}", new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject { ["message"] = message }),
        });

    public static ApiException ApplyConflict(string message, JsonArray causes) =>
        new(409, "Conflict", message, new JsonObject { ["causes"] = causes });

    private static JsonObject Details(string group, string kind, string name)
    {
        var d = new JsonObject { ["name"] = name };
        if (group.Length > 0)
        {
            d["group"] = group;
        }
        d["kind"] = kind;
        return d;
    }
}
