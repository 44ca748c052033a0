using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Components;

namespace KeyAccounts.Features.Evaluation;

/// <summary>An SVG &lt;text&gt; element: Razor reserves &lt;text&gt; inside code blocks, so charts write it as markup.</summary>
public static class SvgText
{
    public static MarkupString At(double x, double y, string content, int fontSize = 11) =>
        new(string.Create(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{y:0.#}\" font-size=\"{fontSize}\">{WebUtility.HtmlEncode(content)}</text>"));

    /// <summary>Text read bottom to top, centred on (x, y): a vertical axis's label.</summary>
    public static MarkupString Vertical(double x, double y, string content, int fontSize = 11) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"<text x=\"{x:0.#}\" y=\"{y:0.#}\" font-size=\"{fontSize}\" text-anchor=\"middle\" transform=\"rotate(-90 {x:0.#} {y:0.#})\">{WebUtility.HtmlEncode(content)}</text>"));
}
