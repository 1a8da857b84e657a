package io.qudag.resilience.chaos.report;

/**
 * How much of a class of features must keep working during a drill (spec §5.2, functionality
 * validation): core 100%, important 95%, standard 90%, optional 80%.
 */
public enum FeatureClass {
    /** Core features: 100% must work. */
    CORE(100.0),
    /** Important features: 95% must work. */
    IMPORTANT(95.0),
    /** Standard features: 90% must work. */
    STANDARD(90.0),
    /** Optional features: 80% must work. */
    OPTIONAL(80.0);

    private final double requiredPercent;

    FeatureClass(double requiredPercent) {
        this.requiredPercent = requiredPercent;
    }

    /** {@return the percentage of the class that must keep working} */
    public double requiredPercent() {
        return requiredPercent;
    }

    /**
     * {@return whether {@code percent} meets this class's bar}
     *
     * @param percent the measured percentage, 0–100
     */
    public boolean meets(double percent) {
        return percent >= requiredPercent;
    }
}
