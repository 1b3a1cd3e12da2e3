using System.Text;
using Reelgate.Common;

namespace Reelgate.Tests.Common;

public class JsonTextScannerTests
{
    private static Dictionary<string, string[]> Scan(string json) => JsonTextScanner.Scan(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("""{"a":"x\u0000"}""", "a", StorableText.NulMessage)]
    [InlineData("""{"a":{"b":[1,{"c":"\ud800"}]}}""", "a.b[1].c", StorableText.SurrogateMessage)]
    [InlineData("""{"a":["ok","\udc00x"]}""", "a[1]", StorableText.SurrogateMessage)]
    [InlineData("""{"a":"\ud83d\u0041"}""", "a", StorableText.SurrogateMessage)]
    [InlineData("""{"a":"\ud83d"}""", "a", StorableText.SurrogateMessage)]
    [InlineData("""{"\u0062":[[],["\u0000"]]}""", "b[1][0]", StorableText.NulMessage)]
    [InlineData(""" "\u0000" """, "body", StorableText.NulMessage)]
    public void Scan_NamesTheUnstorableValueByItsPath(string json, string path, string message)
    {
        Assert.Equal([message], Assert.Single(Scan(json), e => e.Key == path).Value);
    }

    [Fact]
    public void Scan_NamesAnUnstorablePropertyNameAsWritten()
    {
        var error = Assert.Single(Scan("""{"a":{"x\ud800":1}}"""));

        Assert.Equal(@"a.x\ud800", error.Key);
        Assert.Equal(["is a property name that " + StorableText.SurrogateMessage], error.Value);
    }

    [Fact]
    public void Scan_RefusesBytesThatAreNotUtf8()
    {
        byte[] json = [.. "{\"a\":\""u8, 0xED, 0xA0, 0x80, .. "\"}"u8];

        Assert.Equal([StorableText.Utf8Message], JsonTextScanner.Scan(json)["a"]);
    }

    [Theory]
    [InlineData("""{"a":"\\u0000 is how NUL is written"}""")]
    [InlineData("""{"a":"\ud83d\ude00 \u00e9 \n \" \\"}""")]
    [InlineData("""{"a":"é 😀"}""")]
    public void Scan_AcceptsEscapesAndTextThatCanBeStored(string json)
    {
        Assert.Empty(Scan(json));
    }

    [Fact]
    public void Scan_OfMalformedJson_ReportsWhatItFoundBeforeTheFault()
    {
        var errors = Scan("""{"a":"\u0000","b":[1,""");

        Assert.Equal(["a"], errors.Keys);
    }

    [Fact]
    public void Visible_WritesNulAndLoneSurrogatesAsEscapesAndKeepsPairs()
    {
        Assert.Equal(@"a\u0000b\ud800c😀", StorableText.Visible("a\0b\ud800c😀"));
    }
}
