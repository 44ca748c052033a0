namespace KeyAccounts.Features.Calendar;

/// <summary>Marker for the strings of the calendar and its subscription feed (Resources/Features/Calendar/CalendarText.*.resx).</summary>
public sealed class CalendarText;
