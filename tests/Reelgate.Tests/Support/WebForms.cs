using System.Text.RegularExpressions;

namespace Reelgate.Tests.Support;

/// <summary>Posts the web app's forms the way a browser does: the page's antiforgery token and Blazor's form name.</summary>
public static partial class WebForms
{
    public static async Task<string> TokenAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        return TokenField().Match(html).Groups[1].Value;
    }

    public static FormUrlEncodedContent Form(string? token, string handler, params (string Name, string Value)[] fields)
    {
        var values = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("_handler", handler)).ToList();
        if (token is not null) values.Add(new("__RequestVerificationToken", token));
        return new FormUrlEncodedContent(values);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
