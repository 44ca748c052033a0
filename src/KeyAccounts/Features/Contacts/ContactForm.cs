using System.Globalization;

namespace KeyAccounts.Features.Contacts;

/// <summary>A key person as the inline editor binds it.</summary>
public sealed class ContactForm
{
    public long? Id { get; set; }
    public int Version { get; set; }
    public string? Name { get; set; }
    public string? Title { get; set; }
    public string? Department { get; set; }
    public BuyingRole Role { get; set; } = BuyingRole.Other;
    public Attitude Attitude { get; set; } = Attitude.Unknown;
    public int Influence { get; set; } = 3;
    public long? ReportsToId { get; set; }

    /// <summary>yyyy-MM-dd, as a native date input gives it.</summary>
    public string? Birthday { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? WeChat { get; set; }
    public string? Preferences { get; set; }
    public bool IsActive { get; set; } = true;

    public static ContactForm From(ContactDto c) => new()
    {
        Id = c.Id, Version = c.Version, Name = c.Name, Title = c.Title, Department = c.Department, Role = c.Role, Attitude = c.Attitude,
        Influence = c.Influence, ReportsToId = c.ReportsToId, Birthday = c.Birthday?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Phone = c.Phone, Email = c.Email, WeChat = c.WeChat, Preferences = c.Preferences, IsActive = c.IsActive,
    };

    public bool BirthdayIsReadable => string.IsNullOrWhiteSpace(Birthday) || DateOnly.TryParse(Birthday, CultureInfo.InvariantCulture, out _);

    public ContactRequest ToRequest(int? version) => new(Name, Title, Department, Role, Attitude, Influence, ReportsToId,
        DateOnly.TryParse(Birthday, CultureInfo.InvariantCulture, out var b) ? b : null, Phone, Email, WeChat, Preferences, IsActive, version);
}
