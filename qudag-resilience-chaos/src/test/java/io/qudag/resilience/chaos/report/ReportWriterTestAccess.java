package io.qudag.resilience.chaos.report;

/** Lets tests of other packages reuse the sample report. */
public final class ReportWriterTestAccess {
    private ReportWriterTestAccess() {
    }

    public static ExperimentReport sample() {
        return ReportWriterTest.sample();
    }
}
