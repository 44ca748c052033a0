using KeyAccounts.Features.Quotes;

namespace KeyAccounts.Tests.Features.Quotes;

public sealed class QuotePricingTests
{
    [Fact]
    public void UnitPrice_HalfAFen_RoundsAwayFromZero() =>
        Assert.Equal(1.13m, QuotePricing.UnitPrice(1.25m, 0, 10)); // 1.125: banker's rounding would give 1.12

    [Fact]
    public void Amount_HalfAFen_RoundsAwayFromZero() => Assert.Equal(0.03m, QuotePricing.Amount(0.05m, 0.5m));

    [Fact]
    public void UnitPrice_PolicyAndExtraDiscount_ExtraAppliesToThePolicyPrice() =>
        Assert.Equal(85.50m, QuotePricing.UnitPrice(100m, 5m, 10m));

    [Fact]
    public void UnitPrice_NoDiscount_IsTheListPrice() => Assert.Equal(1450m, QuotePricing.UnitPrice(1450m, 0, 0));

    [Fact]
    public void DiscountPercent_AmountsAgainstListAmounts_InPercentToTwoPlaces() =>
        Assert.Equal(14.5m, QuotePricing.DiscountPercent(200m, 171m));
}
