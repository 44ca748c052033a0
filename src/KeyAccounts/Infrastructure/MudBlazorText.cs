using Microsoft.Extensions.Localization;
using MudBlazor;

namespace KeyAccounts.Infrastructure;

/// <summary>
/// MudBlazor's own texts (the pager's "Next page", a dialog's "Close", the date picker's months…) from our resources
/// (Resources/Infrastructure/MudBlazorText.*.resx, keyed by MudBlazor's names) in the user's language; a key we do not
/// carry falls back to MudBlazor's English.
/// </summary>
public sealed class MudBlazorText(IStringLocalizer<MudBlazorText> texts) : MudLocalizer
{
    public override LocalizedString this[string key] => texts[key];

    public override LocalizedString this[string key, params object[] arguments] => texts[key, arguments];
}
