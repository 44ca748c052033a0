namespace KeyAccounts.Features.Surveys;

/// <summary>Marker for the survey strings (Resources/Features/Surveys/SurveysText.*.resx).</summary>
public sealed class SurveysText;
