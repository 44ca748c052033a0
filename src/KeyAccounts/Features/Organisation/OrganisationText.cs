namespace KeyAccounts.Features.Organisation;

/// <summary>Marker for the strings of the users and departments pages (Resources/Features/Organisation/OrganisationText.*.resx).</summary>
public sealed class OrganisationText;
