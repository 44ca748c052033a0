namespace KeyAccounts.Features.FollowUps;

/// <summary>Marker for the strings of follow-ups (Resources/Features/FollowUps/FollowUpsText.*.resx).</summary>
public sealed class FollowUpsText;
