using System.Diagnostics;
using Gorgias.Integration.Application.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Gorgias.Integration.Application.Tests.Telemetry;

/// <summary>
/// The integration's spans as an OpenTelemetry exporter receives them (the SDK with the in-memory exporter), limited to
/// the spans of this test: everything runs under a root activity, and only spans of its trace are kept, so tests
/// running at the same time on the same static activity source do not mix.
/// </summary>
internal sealed class SpanCapture : IDisposable
{
    private readonly List<Activity> _exported = [];
    private readonly TracerProvider _provider;
    private readonly Activity _root;

    public SpanCapture()
    {
        _provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(GorgiasTelemetry.ActivitySourceName)
            .SetSampler(new AlwaysOnSampler())
            .AddInMemoryExporter(_exported)
            .Build();
        _root = new Activity("test").Start();
    }

    /// <summary>The spans of this test that have ended, in the order they ended.</summary>
    public IReadOnlyList<Activity> Spans
    {
        get
        {
            lock (_exported)
            {
                return [.. _exported.Where(span => span.TraceId == _root.TraceId)];
            }
        }
    }

    public IReadOnlyList<Activity> Named(string name) => [.. Spans.Where(span => span.OperationName == name)];

    /// <summary>The spans whose parent is <paramref name="parent"/>.</summary>
    public IReadOnlyList<Activity> ChildrenOf(Activity parent) => [.. Spans.Where(span => span.ParentSpanId == parent.SpanId)];

    public void Dispose()
    {
        _root.Dispose();
        _provider.Dispose();
    }
}
