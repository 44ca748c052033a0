using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Contacts;
using KeyAccounts.Features.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Visits;

public enum VisitStatus { Planned, Done, Cancelled }

/// <summary>
/// 拜访: a visit to an account at one level, planned first (who, whom, when, why) and recorded once it happened (when,
/// who took part on both sides, what was found, what was agreed). Agreed actions become <see cref="FollowUpTask"/>s.
/// </summary>
public sealed class Visit : IAudited, IBelongsToAccount
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public VisitLevel Level { get; set; }
    public VisitStatus Status { get; set; } = VisitStatus.Planned;
    public DateOnly PlannedOn { get; set; }
    public required string Purpose { get; set; }

    /// <summary>Who leads the visit on our side; the calendar and reminders follow them and the other <see cref="Attendees"/>.</summary>
    public required string OwnerId { get; set; }
    public DateOnly? VisitedOn { get; set; }
    public string? Findings { get; set; }
    public string? Problems { get; set; }
    public string? UsageInformation { get; set; }
    public string? LatentNeeds { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? RecordedAt { get; set; }
    public int Version { get; set; }

    public List<VisitAttendee> Attendees { get; set; } = [];
    public List<VisitContact> Contacts { get; set; } = [];

    /// <summary>The day a visit sits on in calendars: the planned day until it is recorded, then the day it took place.</summary>
    public DateOnly CalendarDay => VisitedOn ?? PlannedOn;

    /// <summary>Copies <see cref="CalendarDay"/> onto every attendee row; call after changing the days or the attendees.</summary>
    public void PlaceAttendeesOnCalendar()
    {
        foreach (var attendee in Attendees) attendee.Day = CalendarDay;
    }

    public string AuditKey => Id.ToString();
}

/// <summary>One of our people on a visit.</summary>
public sealed class VisitAttendee : IAudited
{
    public long VisitId { get; set; }
    public required string UserId { get; set; }

    /// <summary>
    /// The visit's <see cref="Visit.CalendarDay"/>, kept here so that a person's calendar is one index range by (person, day):
    /// the owner is an attendee too, so every visit someone leads or joins is found without reading their other visits.
    /// </summary>
    public DateOnly Day { get; set; }

    public string AuditKey => $"{VisitId}:{UserId}";
}

/// <summary>One of the account's key people on a visit: whom we plan to meet, then whom we met.</summary>
public sealed class VisitContact : IAudited
{
    public long VisitId { get; set; }
    public long ContactId { get; set; }
    public string AuditKey => $"{VisitId}:{ContactId}";
}

public sealed class VisitConfiguration : IEntityTypeConfiguration<Visit>
{
    public void Configure(EntityTypeBuilder<Visit> b)
    {
        b.Property(v => v.Level).HasConversion<string>().HasMaxLength(16);
        b.Property(v => v.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(v => v.Purpose).HasMaxLength(500);
        b.Property(v => v.OwnerId).HasMaxLength(450);
        b.Property(v => v.Findings).HasMaxLength(4000);
        b.Property(v => v.Problems).HasMaxLength(2000);
        b.Property(v => v.UsageInformation).HasMaxLength(2000);
        b.Property(v => v.LatentNeeds).HasMaxLength(2000);
        b.HasOne<Account>().WithMany().HasForeignKey(v => v.AccountId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(v => v.OwnerId).OnDelete(DeleteBehavior.Restrict);
        // Coverage counts an account's visits done in a period by level: one index range per account, read from the index alone.
        b.HasIndex(v => new { v.AccountId, v.VisitedOn, v.Level });
        // The timeline and the account's plans.
        b.HasIndex(v => new { v.AccountId, v.PlannedOn });
        // A user's visits by planned day (a person's calendar reads the attendee rows instead).
        b.HasIndex(v => new { v.OwnerId, v.PlannedOn });
        // Reminders and the overdue list walk the open plans by day.
        b.HasIndex(v => new { v.Status, v.PlannedOn });
        b.Property(v => v.Version).IsConcurrencyToken();
        b.Ignore(v => v.AuditKey);
    }
}

public sealed class VisitAttendeeConfiguration : IEntityTypeConfiguration<VisitAttendee>
{
    public void Configure(EntityTypeBuilder<VisitAttendee> b)
    {
        b.HasKey(a => new { a.VisitId, a.UserId });
        b.HasIndex(a => new { a.UserId, a.Day });
        b.HasOne<Visit>().WithMany(v => v.Attendees).HasForeignKey(a => a.VisitId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(a => a.AuditKey);
    }
}

public sealed class VisitContactConfiguration : IEntityTypeConfiguration<VisitContact>
{
    public void Configure(EntityTypeBuilder<VisitContact> b)
    {
        b.HasKey(c => new { c.VisitId, c.ContactId });
        b.HasIndex(c => c.ContactId);
        b.HasOne<Visit>().WithMany(v => v.Contacts).HasForeignKey(c => c.VisitId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Contact>().WithMany().HasForeignKey(c => c.ContactId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(c => c.AuditKey);
    }
}
