namespace KeyAccounts.Features.Complaints;

/// <summary>Marker for the complaint strings (Resources/Features/Complaints/ComplaintsText.*.resx).</summary>
public sealed class ComplaintsText;
