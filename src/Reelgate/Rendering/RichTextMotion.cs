using System.Globalization;
using System.Text;
using static Reelgate.Rendering.CssSyntax;

namespace Reelgate.Rendering;

/// <summary>One drawing of an animated page, shown for a number of output frames.</summary>
internal sealed record RasterFrame(string Html, int Count);

/// <summary>
/// The rich-text presets that move the text a letter or a word at a time. The text is split into units, each in its
/// own span, and the page is drawn once per output frame while the animation runs, then held; frames that come out
/// the same are drawn once. Every unit keeps its place in the final layout, so the text never reflows as it appears.
/// <list type="bullet">
/// <item>typewriter: units appear one at a time, evenly across the duration (characters unless style is word).</item>
/// <item>ascend: words rise into place in turn and fade in (direction up; down descends, left and right move sideways).</item>
/// <item>shift: units slide a short way in the direction given (left unless set) and fade in, in turn.</item>
/// <item>movingLetters: letters fly in from alternately above and below with a slight overshoot, in turn.</item>
/// </list>
/// </summary>
internal static class RichTextMotion
{
    /// <summary>
    /// Typewriter's pace when no duration is given: 20 units a second, done by three quarters of the clip at the
    /// latest, so that the whole text is seen.
    /// </summary>
    private const double TypewriterSecondsPerUnit = 0.05;
    private const double DefaultSeconds = 1;

    /// <summary>How far a unit moves, in font sizes.</summary>
    private const double Travel = 0.6;

    public static bool Animates(RichTextAsset text) =>
        text.Animation is { Preset: "typewriter" or "ascend" or "shift" or "movingLetters" };

    /// <summary>
    /// At most this many drawings per clip: a longer or faster animation is drawn at a lower rate, each drawing shown
    /// for several frames, so that the time and memory it takes stay bounded whatever the text and duration.
    /// </summary>
    public const int MaxDrawings = 600;

    /// <summary>
    /// The page's drawings, in order, with the frames each is shown for; together they fill the clip. They are written
    /// one at a time as they are asked for, so only the one being drawn is held.
    /// </summary>
    /// <param name="document">Writes the page around a body of text markup.</param>
    /// <param name="unitPaint">CSS each unit carries itself, for what does not reach into a moving box (a gradient, a decoration).</param>
    public static IEnumerable<RasterFrame> Frames(RichTextAsset text, double fps, double length, Func<string, string> document, string unitPaint = "")
    {
        var animation = text.Animation!;
        var units = Units(text.Text, ByWord(animation));
        var count = Math.Max(1, units.Count(unit => unit.Animated));
        var seconds = animation.Duration
            ?? (animation.Preset == "typewriter" ? Math.Min(length * 0.75, count * TypewriterSecondsPerUnit) : DefaultSeconds);
        var total = Math.Max(1, (int)Math.Ceiling(length * fps - 1e-9));
        var moving = Math.Min(total, (int)Math.Ceiling(seconds * fps - 1e-9) + 1);
        var step = (moving + MaxDrawings - 2) / (MaxDrawings - 1);
        RasterFrame? pending = null;
        for (var frame = 0; frame < moving; frame += step)
        {
            // The last drawing is the finished text, held to the clip's end.
            var last = frame + step >= moving;
            var at = last ? moving - 1 : frame;
            var html = document(Body(units, animation, text.Font.Size, Math.Min(seconds, at / fps), seconds, count, unitPaint));
            var shown = last ? total - frame : step;
            if (pending is not null && pending.Html == html)
            {
                pending = pending with { Count = pending.Count + shown };
                continue;
            }
            if (pending is not null) yield return pending;
            pending = new RasterFrame(html, shown);
        }
        yield return pending!;
    }

    private static bool ByWord(RichAnimation animation) =>
        animation.Preset == "ascend" || (animation.Preset != "movingLetters" && animation.Style == "word");

    /// <summary>A piece of the text: a unit that moves, or the white space between words, which does not.</summary>
    internal sealed record Unit(string Text, bool Animated, bool StartsWord, bool EndsWord);

    internal static List<Unit> Units(string text, bool byWord)
    {
        var units = new List<Unit>();
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            var space = char.IsWhiteSpace(text[i]);
            while (i < text.Length && char.IsWhiteSpace(text[i]) == space) i++;
            var run = text[start..i];
            if (space || byWord)
            {
                units.Add(new Unit(run, !space, !space, !space));
                continue;
            }
            var letters = StringInfo.GetTextElementEnumerator(run);
            var first = true;
            while (letters.MoveNext())
            {
                var letter = letters.GetTextElement();
                units.Add(new Unit(letter, true, first, letters.ElementIndex + letter.Length == run.Length));
                first = false;
            }
        }
        return units;
    }

    /// <summary>
    /// The text markup at a time: each unit a span styled for where it is in its own entrance. White space between
    /// words does not move, but appears with the unit before it, so an underline never runs ahead of the text.
    /// </summary>
    private static string Body(List<Unit> units, RichAnimation animation, double fontSize, double time, double seconds, int count, string unitPaint)
    {
        var html = new StringBuilder();
        var index = 0;
        var before = new UnitState(1, 0, 0);
        foreach (var unit in units)
        {
            if (!unit.Animated)
            {
                var presence = Css(before with { X = 0, Y = 0 }, fontSize);
                html.Append(presence.Length == 0 ? Text(unit.Text) : $"<span style=\"{presence[1..]}\">{Text(unit.Text)}</span>");
                continue;
            }
            before = State(animation, time, seconds, index, count);
            // A word's letters stay together on one line, as the unsplit text would wrap them.
            if (unit.StartsWord) html.Append("<span style=\"display:inline-block;white-space:pre\">");
            html.Append("<span style=\"display:inline-block").Append(unitPaint).Append(Css(before, fontSize))
                .Append("\">").Append(Text(unit.Text)).Append("</span>");
            if (unit.EndsWord) html.Append("</span>");
            index++;
        }
        return html.ToString();
    }

    /// <summary>Where a unit is in its entrance: its opacity (0 hides it) and how far it is from its place, in font sizes.</summary>
    private readonly record struct UnitState(double Opacity, double X, double Y);

    private static string Css(UnitState state, double fontSize)
    {
        if (state.Opacity <= 0) return ";visibility:hidden";
        var css = state.Opacity < 1 ? $";opacity:{Num(state.Opacity)}" : "";
        return state.X == 0 && state.Y == 0 ? css : $"{css};transform:translate({Px(state.X * fontSize)},{Px(state.Y * fontSize)})";
    }

    private static UnitState State(RichAnimation animation, double time, double seconds, int index, int count)
    {
        if (animation.Preset == "typewriter")
        {
            return new UnitState(time >= seconds || time >= index * seconds / count - 1e-9 ? 1 : 0, 0, 0);
        }
        // Each unit moves for part of the duration; the starts are spread so that the last one ends with it.
        var own = count == 1 ? seconds : seconds * 0.5;
        var stagger = count == 1 ? 0 : (seconds - own) / (count - 1);
        var progress = Math.Clamp((time - index * stagger) / own, 0, 1);
        if (progress >= 1) return new UnitState(1, 0, 0);
        var (dx, dy) = Start(animation, index);
        var travel = 1 - (animation.Preset == "movingLetters" ? EaseOutBack(progress) : EaseOutCubic(progress));
        var opacity = animation.Preset == "movingLetters" ? Math.Min(1, progress * 2) : EaseOutCubic(progress);
        return new UnitState(opacity, dx * travel, dy * travel);
    }

    /// <summary>Where a unit starts, in font sizes from its place.</summary>
    private static (double X, double Y) Start(RichAnimation animation, int index) => animation.Preset switch
    {
        "movingLetters" => (0, index % 2 == 0 ? -2 * Travel : 2 * Travel),
        "ascend" => Towards(animation.Direction ?? "up"),
        _ => Towards(animation.Direction ?? "left"),
    };

    /// <summary>The start that makes a unit move in the direction named.</summary>
    private static (double X, double Y) Towards(string direction) => direction switch
    {
        "right" => (-Travel, 0),
        "up" => (0, Travel),
        "down" => (0, -Travel),
        _ => (Travel, 0),
    };

    private static double EaseOutCubic(double p) => 1 - Math.Pow(1 - p, 3);

    private static double EaseOutBack(double p)
    {
        const double c1 = 1.70158;
        const double c3 = c1 + 1;
        return 1 + c3 * Math.Pow(p - 1, 3) + c1 * Math.Pow(p - 1, 2);
    }
}
