using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Gorgias.Integration.Benchmarks;

// dotnet run -c Release --project bench/Gorgias.Integration.Benchmarks -- --filter '*'           every benchmark
// dotnet run -c Release --project bench/Gorgias.Integration.Benchmarks -- --filter '*' --smoke   a quick smoke run
// dotnet run -c Release --project bench/Gorgias.Integration.Benchmarks -- --refresh-storm
// dotnet run -c Release --project bench/Gorgias.Integration.Benchmarks -- --scale [installations, default 100000]
// dotnet run -c Release --project bench/Gorgias.Integration.Benchmarks -- --pg-scale [installations]  needs GORGIAS_TEST_POSTGRES
// dotnet run -c Release --project bench/Gorgias.Integration.Benchmarks -- --events [deliveries]  PostgreSQL too when GORGIAS_TEST_POSTGRES is set
if (args.Contains("--probe"))
{
    return await Probe.RunAsync();
}

var events = Array.IndexOf(args, "--events");
if (events >= 0)
{
    return await EventLoad.RunAsync(events + 1 < args.Length && int.TryParse(args[events + 1], out var deliveries) ? deliveries : 5_000);
}

if (args.Contains("--refresh-storm"))
{
    return await RefreshStorm.RunAsync();
}

var pgScale = Array.IndexOf(args, "--pg-scale");
if (pgScale >= 0)
{
    return await PostgreSqlScaleRun.RunAsync(pgScale + 1 < args.Length && int.TryParse(args[pgScale + 1], out var rows) ? rows : 100_000);
}

var scale = Array.IndexOf(args, "--scale");
if (scale >= 0)
{
    var count = scale + 1 < args.Length && int.TryParse(args[scale + 1], out var n) ? n : 100_000;
    return await ScaleRun.RunAsync(count);
}

// One job for every class (3 warm-up and 10 measured iterations: a full run stays within ~10 minutes on 2 cores),
// or with --smoke 1 warm-up and 3 iterations, to check that everything runs.
var smoke = args.Contains("--smoke");
var job = smoke
    ? Job.ShortRun.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3).WithId("Smoke")
    : Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10).WithId("Bench");
// A job given on the command line (e.g. --job short) replaces ours instead of running beside it.
var config = args.Contains("--job") ? DefaultConfig.Instance : DefaultConfig.Instance.AddJob(job);
BenchmarkSwitcher.FromAssembly(typeof(AccessTokenBenchmarks).Assembly).Run([.. args.Where(a => a != "--smoke")], config);
return 0;
