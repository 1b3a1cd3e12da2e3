using static Reelgate.Rendering.FilterSyntax;

namespace Reelgate.Rendering;

/// <summary>Turns an animated value into an ffmpeg expression of clip-relative time.</summary>
internal static class TweenExpressions
{
    /// <param name="time">The expression for seconds since the clip started, e.g. "T" or "(t-2.5)".</param>
    public static string Of(Animated value, string time, double clipLength)
    {
        if (!value.IsTweened)
        {
            return Num(value.Value);
        }
        var expression = Num(value.Tweens[^1].To);
        for (var i = value.Tweens.Count - 1; i >= 0; i--)
        {
            var tween = value.Tweens[i];
            var length = Math.Max(tween.Length ?? clipLength - tween.Start, 0.000001);
            var before = i == 0 ? Num(tween.From) : Num(value.Tweens[i - 1].To);
            var end = tween.Start + length;
            var during = Step(tween, $"clip(({time}-{Num(tween.Start)})/{Num(length)},0,1)");
            expression = $"if(lt({time},{Num(tween.Start)}),{before},if(lt({time},{Num(end)}),{during},{expression}))";
        }
        return expression;
    }

    private static string Step(Tween tween, string progress)
    {
        if (tween.Interpolation == "constant")
        {
            return Num(tween.From);
        }
        var eased = tween.Interpolation == "bezier" || tween.Easing is not null
            ? Easing(tween.Easing ?? "ease", progress)
            : progress;
        return $"({Num(tween.From)}+({Num(tween.To - tween.From)})*({eased}))";
    }

    public static string Easing(string name, string p)
    {
        const string c1 = "1.70158", c2 = "2.5949095", c3 = "2.70158";
        var power = name switch
        {
            _ when name.EndsWith("Quad", StringComparison.Ordinal) => 2,
            _ when name.EndsWith("Cubic", StringComparison.Ordinal) => 3,
            _ when name.EndsWith("Quart", StringComparison.Ordinal) => 4,
            _ when name.EndsWith("Quint", StringComparison.Ordinal) => 5,
            _ => 0,
        };
        if (power > 0)
        {
            var n = Num(power);
            return Kind(name) switch
            {
                "In" => $"pow({p},{n})",
                "Out" => $"(1-pow(1-{p},{n}))",
                _ => $"if(lt({p},0.5),pow(2,{n}-1)*pow({p},{n}),1-pow(-2*{p}+2,{n})/2)",
            };
        }
        return (name, Kind(name)) switch
        {
            ("easeIn", _) => $"pow({p},2)",
            ("easeOut", _) => $"(1-pow(1-{p},2))",
            ("ease" or "easeInOut", _) => $"({p}*{p}*(3-2*{p}))",
            (_, "In") when name.EndsWith("Sine", StringComparison.Ordinal) => $"(1-cos({p}*PI/2))",
            (_, "Out") when name.EndsWith("Sine", StringComparison.Ordinal) => $"sin({p}*PI/2)",
            (_, _) when name.EndsWith("Sine", StringComparison.Ordinal) => $"(-(cos(PI*{p})-1)/2)",
            (_, "In") when name.EndsWith("Expo", StringComparison.Ordinal) => $"if(eq({p},0),0,pow(2,10*{p}-10))",
            (_, "Out") when name.EndsWith("Expo", StringComparison.Ordinal) => $"if(eq({p},1),1,1-pow(2,-10*{p}))",
            (_, _) when name.EndsWith("Expo", StringComparison.Ordinal) =>
                $"if(eq({p},0),0,if(eq({p},1),1,if(lt({p},0.5),pow(2,20*{p}-10)/2,(2-pow(2,-20*{p}+10))/2)))",
            (_, "In") when name.EndsWith("Circ", StringComparison.Ordinal) => $"(1-sqrt(1-pow({p},2)))",
            (_, "Out") when name.EndsWith("Circ", StringComparison.Ordinal) => $"sqrt(1-pow({p}-1,2))",
            (_, _) when name.EndsWith("Circ", StringComparison.Ordinal) =>
                $"if(lt({p},0.5),(1-sqrt(1-pow(2*{p},2)))/2,(sqrt(1-pow(-2*{p}+2,2))+1)/2)",
            (_, "In") => $"({c3}*pow({p},3)-{c1}*pow({p},2))",
            (_, "Out") => $"(1+{c3}*pow({p}-1,3)+{c1}*pow({p}-1,2))",
            _ => $"if(lt({p},0.5),pow(2*{p},2)*(({c2}+1)*2*{p}-{c2})/2,(pow(2*{p}-2,2)*(({c2}+1)*({p}*2-2)+{c2})+2)/2)",
        };
    }

    private static string Kind(string name) =>
        name.StartsWith("easeInOut", StringComparison.Ordinal) ? "InOut"
        : name.StartsWith("easeIn", StringComparison.Ordinal) ? "In"
        : "Out";
}
