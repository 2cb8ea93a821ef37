using EfdDaemon.Events;

namespace EfdDaemon.Tests.Events;

public sealed class RereadPolicyTests
{
    [Fact]
    public void RereadsUntilTheyKeepFindingNothingThenProbesNowAndThen()
    {
        var policy = default(RereadPolicy);
        for (int i = 0; i < RereadPolicy.GiveUpAfter; i++)
        {
            Assert.True(policy.Worthwhile());
            policy.Note(found: false);
        }

        // Writers on the reader's own CPU: skipped, but one wake in ProbeEvery still tries.
        int tried = Enumerable.Range(0, RereadPolicy.ProbeEvery * 4).Count(_ => policy.Worthwhile());
        Assert.Equal(4, tried);
    }

    [Fact]
    public void OneRereadThatFindsSomethingResumesThemAll()
    {
        var policy = default(RereadPolicy);
        for (int i = 0; i < RereadPolicy.GiveUpAfter; i++)
        {
            policy.Note(found: false);
        }

        while (!policy.Worthwhile())
        {
        }

        policy.Note(found: true);
        Assert.All(Enumerable.Range(0, RereadPolicy.GiveUpAfter), _ => Assert.True(policy.Worthwhile()));
    }
}
