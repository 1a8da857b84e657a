package io.qudag.resilience.chaos.experiment;

import java.util.List;

/**
 * What "working" means, stated before faults are injected (spec §5.1, {@code hypothesis_formation}): a
 * name and at least one {@link Probe}. It holds when every probe is within its tolerance.
 */
public record SteadyStateHypothesis(String title, List<Probe> probes) {

    /**
     * Validates the components and copies {@code probes}.
     *
     * @param title  the hypothesis's title, not blank
     * @param probes at least one probe
     * @throws IllegalArgumentException naming the value when one is invalid
     */
    public SteadyStateHypothesis {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("hypothesis title must not be blank, was "
                    + (title == null ? "null" : '"' + title + '"'));
        }
        if (probes == null || probes.isEmpty()) {
            throw new IllegalArgumentException("hypothesis probes must not be empty, was " + probes);
        }
        probes = List.copyOf(probes);
    }

    /**
     * {@return a hypothesis of {@code probes}}
     *
     * @param title  the hypothesis's title, not blank
     * @param probes at least one probe
     */
    public static SteadyStateHypothesis of(String title, Probe... probes) {
        return new SteadyStateHypothesis(title, List.of(probes));
    }
}
