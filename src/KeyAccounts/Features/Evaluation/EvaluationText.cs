namespace KeyAccounts.Features.Evaluation;

/// <summary>Marker for the evaluation area's localised strings (Resources/Features/Evaluation/EvaluationText.zh-CN.resx).</summary>
public sealed class EvaluationText;
