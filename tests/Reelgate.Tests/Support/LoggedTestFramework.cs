using System.Reflection;
using Reelgate.Tests.Support;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("Reelgate.Tests.Support.LoggedTestFramework", "Reelgate.Tests")]

namespace Reelgate.Tests.Support;

/// <summary>
/// xunit's own framework, with one <see cref="TestLogBook"/> per test collection: a failing test's result carries the app
/// log lines written while it ran, and a passing test's carries none.
/// </summary>
public sealed class LoggedTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    private static readonly Lock Counting = new();
    private static int _running;
    private static int _peak;

    /// <summary>xunit's limit on collections running at once (its maxParallelThreads), once the run has started.</summary>
    public static int CollectionLimit { get; private set; }

    /// <summary>The most collections that have run at once so far in this run.</summary>
    public static int PeakRunningCollections
    {
        get { lock (Counting) return _peak; }
    }

    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            CollectionLimit = executionOptions.DisableParallelizationOrDefault() ? 1 : executionOptions.MaxParallelThreadsOrDefault() is > 0 and var limit ? limit : int.MaxValue;
            using var runner = new AssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class AssemblyRunner(ITestAssembly testAssembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnosticMessageSink,
        IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        // The base method is what holds a collection until one of xunit's parallel slots is free, so it is called, not replaced:
        // without that wait every collection starts at once, each with its own database and apps.
        protected override async Task<RunSummary> RunTestCollectionAsync(IMessageBus messageBus, ITestCollection testCollection, IEnumerable<IXunitTestCase> testCases,
            CancellationTokenSource cancellationTokenSource)
        {
            // Set here, the book flows into the collection's fixtures, its classes and their tests, and no further.
            var book = TestLogBook.Open();
            return await base.RunTestCollectionAsync(new LogAttachingBus(messageBus, book), testCollection, testCases, cancellationTokenSource);
        }
    }

    /// <summary>Adds the lines logged since a test started to its failure; a collection's tests run one at a time.</summary>
    private sealed class LogAttachingBus(IMessageBus inner, TestLogBook book) : IMessageBus
    {
        public bool QueueMessage(IMessageSinkMessage message)
        {
            switch (message)
            {
                case ITestCollectionStarting:
                    lock (Counting) _peak = Math.Max(_peak, ++_running);
                    break;
                case ITestCollectionFinished:
                    lock (Counting) _running--;
                    break;
                case ITestStarting:
                    book.Clear();
                    break;
                case ITestFailed failed when book.Text() is { Length: > 0 } logs:
                    message = new TestFailed(failed.Test, failed.ExecutionTime, $"{failed.Output}\n--- app log while the test ran ---\n{logs}\n",
                        failed.ExceptionTypes, failed.Messages, failed.StackTraces, failed.ExceptionParentIndices);
                    break;
            }
            return inner.QueueMessage(message);
        }

        public void Dispose()
        {
        }
    }
}
