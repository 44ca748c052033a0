namespace KeyAccounts.Infrastructure;

/// <summary>
/// Marker for the translations of validation messages and import reasons (Resources/Infrastructure/MessagesText.*.resx), keyed by
/// their English templates: <see cref="Messages.In"/> words a message in the reader's language.
/// </summary>
public sealed class MessagesText;
