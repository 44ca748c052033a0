using KeyAccounts.Analytics;

namespace KeyAccounts.Tests.Analytics;

public sealed class ArchiveCompletenessTests
{
    private static readonly ArchiveFacts Empty = new(false, false, false, false, 0, 0, 0, false, 0, 0, 0, false, 0);
    private static readonly ArchiveFacts Full = new(true, true, true, true, 2, 1, 1, true, 3, 2, 4, true, 4);

    [Fact]
    public void Score_EmptyArchive_IsZeroAndListsEverySection()
    {
        var result = ArchiveCompleteness.Score(Empty);
        Assert.Equal(0, result.Score);
        Assert.Equal(11, result.Missing.Count());
    }

    [Fact]
    public void Score_FullArchive_Is100() => Assert.Equal(100, ArchiveCompleteness.Score(Full).Score);

    [Fact]
    public void Score_OneContactOfThree_GivesPartialKeyPeopleCredit()
    {
        var result = ArchiveCompleteness.Score(Full with { ActiveContacts = 1, ContactsWithKnownAttitude = 1 });
        // Key people weigh 10 of 100: one of the three expected people is a third of that.
        Assert.Equal(93, result.Score);
        Assert.Contains("KeyPeople", result.Missing);
    }
}
