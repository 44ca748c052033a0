using KeyAccounts.Features.Archives;

namespace KeyAccounts.Tests.Features.Archives;

public sealed class ArchiveRulesTests
{
    [Fact]
    public void IsEmpty_SeededArchiveAtVersionZeroWithContent_IsNotEmpty()
    {
        // The demo seed and imports write archives without a saved version: the banner must not call them empty.
        var archive = ArchiveDto.Empty(1) with { ProductLines = [new ProductLine("齿轮箱", 60m)], UpdatedAt = DateTime.UtcNow, Version = 0 };

        Assert.False(ArchiveRules.IsEmpty(archive));
    }

    [Fact]
    public void IsEmpty_NoSectionFilled_IsEmpty() => Assert.True(ArchiveRules.IsEmpty(ArchiveDto.Empty(1)));
}
