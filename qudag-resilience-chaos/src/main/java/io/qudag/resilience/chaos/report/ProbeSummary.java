package io.qudag.resilience.chaos.report;

/**
 * A probe of the hypothesis as the report shows it: its tolerance bounds (NaN = open), unit, and how
 * many of its readings were within them.
 */
public record ProbeSummary(String name, String kind, String unit, double min, double max, int samples,
        int violations, double worst) {
}
