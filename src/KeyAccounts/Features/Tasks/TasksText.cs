namespace KeyAccounts.Features.Tasks;

/// <summary>Marker for the strings of follow-up tasks (Resources/Features/Tasks/TasksText.*.resx).</summary>
public sealed class TasksText;
