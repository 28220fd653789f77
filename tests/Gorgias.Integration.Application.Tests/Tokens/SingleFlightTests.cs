using Gorgias.Integration.Application.Tokens;

namespace Gorgias.Integration.Application.Tests.Tokens;

/// <summary>The generic single-flight the refresher is built on: one task in flight per key, shared by its callers.</summary>
public sealed class SingleFlightTests
{
    [Fact]
    public async Task ConcurrentCallersForOneKey_ShareOneRun_AndSeeTheStateOfTheCallerThatStartedIt()
    {
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        var flights = new SingleFlight<string, int, string>((key, state) =>
        {
            Interlocked.Increment(ref runs);
            return release.Task;
        });

        var joined = Enumerable.Range(1, 20).Select(state => flights.Join("acme", state)).ToList();
        release.SetResult("done");
        var results = await Task.WhenAll(joined.Select(j => j.Task));

        Assert.Equal(1, runs);
        Assert.All(results, r => Assert.Equal("done", r));
        Assert.Single(joined, j => j.StartedHere);
        Assert.All(joined, j => Assert.Equal(1, j.State));
    }

    [Fact]
    public async Task OnceARunHasEnded_TheNextCallerStartsAnother_AlsoAfterAFault()
    {
        var runs = 0;
        var flights = new SingleFlight<string, int, int>((key, state) =>
            Interlocked.Increment(ref runs) == 1 ? Task.FromException<int>(new InvalidOperationException("first")) : Task.FromResult(runs));

        var first = flights.Join("acme", 1);
        await Assert.ThrowsAsync<InvalidOperationException>(() => first.Task);
        var second = flights.Join("acme", 2);

        Assert.Equal(2, await second.Task);
        Assert.True(second.StartedHere);
        Assert.Equal(2, second.State);
    }

    [Fact]
    public async Task CallersForDifferentKeys_DoNotShare()
    {
        var flights = new SingleFlight<string, int, string>((key, state) => Task.FromResult(key));

        var (alpha, beta) = (flights.Join("alpha", 1), flights.Join("beta", 2));

        Assert.Equal(("alpha", "beta"), (await alpha.Task, await beta.Task));
        Assert.True(alpha.StartedHere && beta.StartedHere);
    }

    [Fact]
    public async Task ACallerThatStopsWaiting_DoesNotCancelTheRunForTheOthers()
    {
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var flights = new SingleFlight<string, int, string>((key, state) => release.Task);
        using var impatient = new CancellationTokenSource();

        var first = flights.Join("acme", 1);
        var second = flights.Join("acme", 2);
        var gaveUp = first.Task.WaitAsync(impatient.Token);
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);
        release.SetResult("done");

        Assert.Equal("done", await second.Task);
        Assert.False(second.StartedHere);
    }
}
