using System.Reflection;
using Reelgate.Tests.Support;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("Reelgate.Tests.Support.LoggedTestFramework", "Reelgate.Tests")]

namespace Reelgate.Tests.Support;

/// <summary>
/// xunit's own framework, with one <see cref="TestLogBook"/> per test class: a failing test's result carries every app
/// log line written while it ran, and a passing test's carries none.
/// </summary>
public sealed class LoggedTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new AssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class AssemblyRunner(ITestAssembly testAssembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnosticMessageSink,
        IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        protected override Task<RunSummary> RunTestCollectionAsync(IMessageBus messageBus, ITestCollection testCollection, IEnumerable<IXunitTestCase> testCases,
            CancellationTokenSource cancellationTokenSource) =>
            new CollectionRunner(testCollection, testCases, DiagnosticMessageSink, messageBus, TestCaseOrderer, new ExceptionAggregator(Aggregator), cancellationTokenSource).RunAsync();
    }

    private sealed class CollectionRunner(ITestCollection testCollection, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnosticMessageSink,
        IMessageBus messageBus, ITestCaseOrderer testCaseOrderer, ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
        : XunitTestCollectionRunner(testCollection, testCases, diagnosticMessageSink, messageBus, testCaseOrderer, aggregator, cancellationTokenSource)
    {
        protected override async Task<RunSummary> RunTestClassAsync(ITestClass testClass, IReflectionTypeInfo @class, IEnumerable<IXunitTestCase> testCases)
        {
            // Set here, the book flows into the class's fixtures, its constructor and its tests, and no further.
            TestLogBook.Open();
            var bus = new LogAttachingBus(MessageBus, TestLogBook.Current!);
            return await new XunitTestClassRunner(testClass, @class, testCases, DiagnosticMessageSink, bus, TestCaseOrderer,
                new ExceptionAggregator(Aggregator), CancellationTokenSource, CollectionFixtureMappings).RunAsync();
        }
    }

    /// <summary>Adds the lines logged since a test started to its failure; a class's tests run one at a time.</summary>
    private sealed class LogAttachingBus(IMessageBus inner, TestLogBook book) : IMessageBus
    {
        private int _start;

        public bool QueueMessage(IMessageSinkMessage message)
        {
            if (message is ITestStarting) _start = book.Count;
            if (message is ITestFailed failed && book.Since(_start) is { Length: > 0 } logs)
            {
                message = new TestFailed(failed.Test, failed.ExecutionTime, $"{failed.Output}\n--- app log while the test ran ---\n{logs}\n",
                    failed.ExceptionTypes, failed.Messages, failed.StackTraces, failed.ExceptionParentIndices);
            }
            return inner.QueueMessage(message);
        }

        public void Dispose()
        {
        }
    }
}
