namespace KeyAccounts.Features.Contacts;

/// <summary>Marker for the key-people strings (Resources/Features/Contacts/ContactsText.*.resx).</summary>
public sealed class ContactsText;
