namespace KeyAccounts.Data;

/// <summary>Business data whose every change is written to the audit log.</summary>
public interface IAudited
{
    /// <summary>The key shown in the audit log.</summary>
    string AuditKey { get; }
}

/// <summary>Audited data that belongs to one account, so the account's history tab shows it.</summary>
public interface IBelongsToAccount
{
    long AccountId { get; }
}
