using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Gorgias.Integration.Benchmarks;

// dotnet run -c Release --project bench/Gorgias.Integration.Benchmarks -- --filter '*'           every benchmark
// dotnet run -c Release --project bench/Gorgias.Integration.Benchmarks -- --filter '*' --smoke   a quick smoke run
// dotnet run -c Release --project bench/Gorgias.Integration.Benchmarks -- --refresh-storm
// dotnet run -c Release --project bench/Gorgias.Integration.Benchmarks -- --token-loop [seconds]
// dotnet run -c Release --project bench/Gorgias.Integration.Benchmarks -- --install-load http://127.0.0.1:5080 [requests] [clients]
// dotnet run -c Release --project bench/Gorgias.Integration.Benchmarks -- --flow-load [flows] [clients] [warm-up] [environment]  whole flows, Host as a process
// dotnet run -c Release --project bench/Gorgias.Integration.Benchmarks -- --scale [installations, default 100000]
// dotnet run -c Release --project bench/Gorgias.Integration.Benchmarks -- --pg-scale [installations]  needs GORGIAS_TEST_POSTGRES
// dotnet run -c Release --project bench/Gorgias.Integration.Benchmarks -- --multi-instance  Host processes; needs GORGIAS_TEST_POSTGRES
// dotnet run -c Release --project bench/Gorgias.Integration.Benchmarks -- --events [deliveries]  PostgreSQL too when GORGIAS_TEST_POSTGRES is set
// As the Host does (src/Gorgias.Integration.Host/ConfigurationFiles.cs): the benchmarks' hosts have their SQLite file
// in their content root, which the default settings reload would watch with inotify on every page written.
Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");

if (args.Contains("--probe"))
{
    return await Probe.RunAsync();
}

if (args.Contains("--multi-instance"))
{
    return await MultiInstanceRun.RunAsync();
}

var load = Array.IndexOf(args, "--install-load");
if (load >= 0)
{
    return await InstallLoad.RunAsync(new Uri(args[load + 1]),
        load + 2 < args.Length ? int.Parse(args[load + 2], System.Globalization.CultureInfo.InvariantCulture) : 20_000,
        load + 3 < args.Length ? int.Parse(args[load + 3], System.Globalization.CultureInfo.InvariantCulture) : 8);
}

var flowLoad = Array.IndexOf(args, "--flow-load");
if (flowLoad >= 0)
{
    var rest = args.Skip(flowLoad + 1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
    return await FlowLoad.RunAsync(
        rest.Length > 0 ? int.Parse(rest[0], System.Globalization.CultureInfo.InvariantCulture) : 5_000,
        rest.Length > 1 ? int.Parse(rest[1], System.Globalization.CultureInfo.InvariantCulture) : 32,
        rest.Length > 2 ? int.Parse(rest[2], System.Globalization.CultureInfo.InvariantCulture) : 10_000,
        rest.Length > 3 ? rest[3] : "Production");
}

var tokenLoop = Array.IndexOf(args, "--token-loop");
if (tokenLoop >= 0)
{
    return await TokenLoop.RunAsync(TimeSpan.FromSeconds(tokenLoop + 1 < args.Length ? int.Parse(args[tokenLoop + 1], System.Globalization.CultureInfo.InvariantCulture) : 20));
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

// --in-process runs our job inside this process: no generated project to build, which on a loaded 2-core machine can
// exceed BenchmarkDotNet's two-minute build timeout. Ratios inside one class are what to read either way.
if (args.Contains("--in-process"))
{
    job = job.WithToolchain(InProcessEmitToolchain.Instance);
}
// A job given on the command line (e.g. --job short) replaces ours instead of running beside it.
var config = args.Contains("--job") ? DefaultConfig.Instance : DefaultConfig.Instance.AddJob(job);
BenchmarkSwitcher.FromAssembly(typeof(AccessTokenBenchmarks).Assembly).Run([.. args.Where(a => a is not "--smoke" and not "--in-process")], config);
return 0;
