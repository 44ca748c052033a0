using MudBlazor;

namespace KeyAccounts.Features.Contacts;

/// <summary>One colour language for attitudes and roles, shared by the list, the search page and the relationship map.</summary>
public static class ContactStyles
{
    public static Color AttitudeColor(Attitude a) => a switch
    {
        Attitude.Supporter => Color.Success,
        Attitude.Neutral => Color.Warning,
        Attitude.Opponent => Color.Error,
        _ => Color.Default,
    };

    public static Color RoleColor(BuyingRole r) => r switch
    {
        BuyingRole.DecisionMaker => Color.Primary,
        BuyingRole.Champion => Color.Success,
        BuyingRole.Influencer => Color.Info,
        BuyingRole.Gatekeeper => Color.Warning,
        _ => Color.Default,
    };

    /// <summary>Fill and stroke of a node on the map: supporter green, neutral amber, opponent red, unknown light grey.</summary>
    public static (string Fill, string Stroke) MapColours(Attitude a) => a switch
    {
        Attitude.Supporter => ("#c8e6c9", "#2e7d32"),
        Attitude.Neutral => ("#ffecb3", "#f9a825"),
        Attitude.Opponent => ("#ffcdd2", "#c62828"),
        _ => ("#f5f5f5", "#bdbdbd"),
    };

    public static string Stars(int influence) => new string('●', Math.Clamp(influence, 0, 5)) + new string('○', 5 - Math.Clamp(influence, 0, 5));
}
