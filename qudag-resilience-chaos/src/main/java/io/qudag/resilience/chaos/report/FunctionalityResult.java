package io.qudag.resilience.chaos.report;

/** A functionality check of a drill (spec §5.2): the share of a feature class that worked, and its bar. */
public record FunctionalityResult(String name, FeatureClass featureClass, double percent) {

    /** {@return whether the measured percentage meets the feature class's bar} */
    public boolean passed() {
        return featureClass.meets(percent);
    }
}
