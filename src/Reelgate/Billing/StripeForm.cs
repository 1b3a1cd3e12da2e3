using System.Globalization;

namespace Reelgate.Billing;

/// <summary>
/// A Stripe request body: form fields with bracket nesting and indexed arrays (<c>line_items[0][price]</c>,
/// <c>metadata[user_id]</c>), the way Stripe's own libraries encode them.
/// </summary>
public sealed class StripeForm
{
    private readonly List<KeyValuePair<string, string>> _fields = [];

    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

    public StripeForm Add(string key, string? value)
    {
        if (value is not null) _fields.Add(new(key, value));
        return this;
    }

    public StripeForm Add(string key, long value) => Add(key, value.ToString(CultureInfo.InvariantCulture));

    public StripeForm Metadata(string prefix, IReadOnlyDictionary<string, string> metadata)
    {
        foreach (var (name, value) in metadata) Add($"{prefix}[{name}]", value);
        return this;
    }

    public FormUrlEncodedContent ToContent() => new(_fields);
}
