namespace KeyAccounts.Features.Approvals;

/// <summary>Marker for the approval engine's strings (Resources/Features/Approvals/ApprovalsText.*.resx).</summary>
public sealed class ApprovalsText;
