using MudBlazor;

namespace KeyAccounts.Components;

/// <summary>Dialog options that fill the screen on a phone (MudBlazor's Xs breakpoint, below 600 px) and stay a centred box elsewhere.</summary>
public static class PhoneDialogs
{
    public static async Task<DialogOptions> OptionsAsync(IBrowserViewportService viewport, MaxWidth maxWidth)
    {
        var phone = await viewport.GetCurrentBreakpointAsync() == Breakpoint.Xs;
        return new DialogOptions { MaxWidth = maxWidth, FullWidth = true, CloseOnEscapeKey = true, FullScreen = phone, CloseButton = phone };
    }
}
