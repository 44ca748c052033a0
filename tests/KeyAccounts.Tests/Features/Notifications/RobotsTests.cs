using KeyAccounts.Features.Notifications;

namespace KeyAccounts.Tests.Features.Notifications;

public sealed class RobotsTests
{
    [Fact]
    public void DingTalkSign_KnownSecret_MatchesHmacOfTimestampAndSecret()
    {
        // Computed independently (Python hmac/base64) for timestamp 1700000000000 and secret SECtest123.
        Assert.Equal("w3RMHXzixTMdzr8OHJUmVLS4IoPJVdu+Ut1LE48MePE=", Robots.DingTalkSign(1700000000000, "SECtest123"));
    }

    [Fact]
    public void DingTalkSigned_Url_AppendsTimestampAndUrlEncodedSign()
    {
        var url = Robots.DingTalkSigned("https://oapi.dingtalk.com/robot/send?access_token=abc", "SECtest123", 1700000000000);

        Assert.Equal("https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign=w3RMHXzixTMdzr8OHJUmVLS4IoPJVdu%2BUt1LE48MePE%3D", url);
    }

    [Fact]
    public void FeishuSign_KnownSecret_MatchesHmacKeyedWithTimestampAndSecretOverNothing()
    {
        // Computed independently (Python hmac over b"" keyed with "1599360473\nSECtest123", base64).
        Assert.Equal("08m3ItOt/GZ6AHTh7QG/HQFysjT13ejoHxurQsbzQJs=", Robots.FeishuSign(1599360473, "SECtest123"));
    }

    [Fact]
    public void ChannelSecretsHints_SecretAndUrl_ShowOnlyTheLastFourCharacters()
    {
        Assert.Equal("••••7890", ChannelSecrets.SecretHint("SEC1234567890"));
        Assert.Equal("••••", ChannelSecrets.SecretHint("short"));
        Assert.Equal("https://open.feishu.cn/••••9abc", ChannelSecrets.UrlHint("https://open.feishu.cn/open-apis/bot/v2/hook/12345-6789abc"));
    }

    [Theory]
    [InlineData("""{"errcode":0,"errmsg":"ok"}""", false)]
    [InlineData("""{"errcode":310000,"errmsg":"sign not match"}""", true)]
    [InlineData("""{"code":19021,"msg":"sign match fail"}""", true)]
    [InlineData("""{"code":0,"msg":"success"}""", false)]
    public void Refusal_RobotAnswer_DetectsErrorCodes(string body, bool refused) => Assert.Equal(refused, Robots.Refusal(body) is not null);

    [Theory]
    [InlineData("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", true)]
    [InlineData("http://127.0.0.1:8080/hook", true)]
    [InlineData("ftp://example.com/hook", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("not a url", false)]
    public void IsWebUrl_Address_OnlyHttpAndHttps(string url, bool ok) => Assert.Equal(ok, Robots.IsWebUrl(url));
}
