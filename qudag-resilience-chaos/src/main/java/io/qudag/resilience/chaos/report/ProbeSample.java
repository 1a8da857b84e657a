package io.qudag.resilience.chaos.report;

import java.time.Instant;

/** One reading of one probe (spec §5.1, monitoring): when, what, and whether it was within tolerance. */
public record ProbeSample(Instant at, String probe, double value, boolean within) {
}
