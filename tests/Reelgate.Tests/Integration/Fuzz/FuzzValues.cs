namespace Reelgate.Tests.Integration.Fuzz;

/// <summary>The hostile values mutations draw from.</summary>
internal static class FuzzValues
{
    /// <summary>Number-like JSON text: valid but extreme, and NaN-like forms JSON does not allow.</summary>
    public static readonly string[] ExtremeNumbers =
    [
        "1e308", "-1e308", "1e999", "-1e999", "1e-999", "-0", "-0.0", "0", "4.9e-324", "1.7976931348623157e308",
        "2147483647", "2147483648", "-2147483649", "4294967296", "9007199254740993", "9223372036854775807",
        "9223372036854775808", "-9223372036854775809", "18446744073709551616", "1" + new string('0', 400),
        "0." + new string('0', 400) + "1", "123456789.123456789123456789", "0.30000000000000004", "599.9999999999999",
        "600.0000000000001", "3.4028235e38", "79228162514264337593543950336",
        "NaN", "-NaN", "Infinity", "-Infinity", "+1", "01", ".5", "1.", "0x10", "1e", "--1", "1_000",
        "\"NaN\"", "\"Infinity\"", "\"-0\"", "\"1e999\"", "\"12abc\"", "\"\"",
    ];

    /// <summary>Unusual text that is still valid UTF-16: NUL and lone surrogates are the pending categories.</summary>
    public static readonly string[] OddText =
    [
        "\u202eevil\u202c", "\u200b\u200c\u200d\u2060", "e" + string.Concat(Enumerable.Repeat("\u0301", 300)), "\ufeffbom",
        "\uffff\ufffe", "line\u2028para\u2029", "\u0085next", "\u00a0nbsp", "Ａｂｃ１２３", "İıßẞ", "👩🏽‍🚀", "🏳️‍🌈",
        "\U0010FFFF", "\u0001\u001f\u007f", "Z̴̡̛͓̘a̶͓l̷g̵o̶", "😀", "漢字かなカナ", "مرحبا", "\t\r\n", "\\\"'`",
        "${jndi:ldap://x}", "%s%n%x", "'; DROP TABLE jobs; --", "<script>alert(1)</script>", "../../etc/passwd",
        "\ud83d\ude00\ud83d\ude00", "\uDB40\uDC01tag", "ǅǈǋ", "\u061c\u200e\u200f",
    ];

    public static readonly string[] BadUrls =
    [
        "file:///etc/passwd", "file://localhost/etc/shadow", "data:image/png;base64,iVBORw0KGgo=", "data:text/html,<script>alert(1)</script>",
        "http://127.0.0.2/a.png", "http://10.0.0.1/a.png", "http://172.16.0.1/", "http://192.168.1.1/a.mp4",
        "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/", "http://0.0.0.0/", "http://[::1]/a.png",
        "http://[::ffff:127.0.0.1]/a.png", "http://[fe80::1]/", "http://[fd00::1]/", "http://localhost/a.png",
        "http://localhost:5432/", "http://2130706433/a.png", "http://0x7f000001/", "http://017700000001/", "http://127.1/",
        "http://user:pass@127.0.0.1/", "https://user@media.invalid/a.png", "ftp://media.invalid/a.png",
        "gopher://127.0.0.1:6379/_INFO", "javascript:alert(1)", "//media.invalid/a.png", "a.png", "/etc/passwd", "http://",
        "https://", "http:///a.png", "http://media.invalid:99999/", "http://media.invalid:0/", "http://-/",
        "http://" + new string('a', 300) + ".invalid/", "http://media.invalid/" + new string('x', 5000),
        "https://media.invalid/%2e%2e/%2e%2e/etc/passwd", "http://[::1", "http://exa mple.invalid/", "HTTP://MEDIA.INVALID/A.PNG",
        "https://пример.invalid/a.png", "http://media.invalid/a.png#frag", "http://media.invalid/a.png?x=%", "http://224.0.0.1/",
        "http://255.255.255.255/", "http://192.0.2.1/", "http://[::]/", "http://media.invalid\\@127.0.0.1/",
        "http://127.0.0.1:1/closed.png", "http://127.0.0.1:1/closed.mp4", "https://media.invalid/a.png", "http://%31%32%37.0.0.1/",
        "http://[::ffff:a9fe:a9fe]/", "http://[64:ff9b::a9fe:a9fe]/", "http://169.254.169.254.nip.io/", "about:blank", "mailto:a@b.c",
        "http://127.0.\u0645\u0631\u062d\u0628\u06270.1/a.png", "http://media\u200f.invalid/a.png", "http://\u202emedia.invalid/a.png",
    ];

    public static readonly string[] ExtraNames =
    [
        "extra", "__proto__", "constructor", "$type", "Timeline", "tracks ", "", "a.b", "x[0]", "😀", new string('k', 300),
        "id", "userId", "credits", "held", "status", "admin", "role", "quote", "provider", "merge", "callback",
    ];

    public static readonly string[] AssetTypes =
    [
        "hologram", "", "VIDEO", "Video ", "html", "caption", "rich-text", "rich-caption", "text-to-image", "image-to-video",
        "text-to-speech", "shape", "svg", "luma", "audio", "video", "image", "title", "text", "html5", "../video", "video\n",
    ];

    public static readonly string[] MergeFinds =
    [
        "NAME", " NAME ", "{{", "}}", ".*", "(", "\\", "$1", "a b", "é", "😀", "NAME}}{{NAME", new string('F', 1000), "src",
        "timeline", "merge", "", "{{NAME}}", "\n",
    ];

    public static readonly string[] ContentTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=x",
        "application/json; charset=utf-16", "application/json; charset=latin1", "application/json; charset=nonsense", "application/json;;;",
        "application/problem+json", "application/vnd.api+json", "*/*", "json", "", "application/octet-stream", "image/png", "text/json",
    ];

    public static readonly string[] EmptyBodies = ["", " ", "\r\n", "null", "true", "0", "-1", "\"\"", "\"text\"", "[]", "{}", "[{}]", "[null]", "[[]]"];

    public static readonly string[] Fillers = ["a", " ", "{{ NAME }}", "é", "😀", "\n", "<b>", "\\", "%", "'"];
}
