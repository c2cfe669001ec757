using System.Text;

namespace KubeCache.Kubernetes;

/// <summary>Appends escaped query parameters to a path, skipping the ones left unset.</summary>
internal struct QueryString(string path)
{
    private readonly StringBuilder _text = new(path);
    private bool _any;

    public QueryString Add(string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            _text.Append(_any ? '&' : '?').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            _any = true;
        }
        return this;
    }

    public override readonly string ToString() => _text.ToString();
}
