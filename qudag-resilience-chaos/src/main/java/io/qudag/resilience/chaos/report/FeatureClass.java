package io.qudag.resilience.chaos.report;

/**
 * How much of a class of features must keep working during a drill (spec §5.2, functionality
 * validation): core 100%, important 95%, standard 90%, optional 80%.
 */
public enum FeatureClass {
    CORE(100.0),
    IMPORTANT(95.0),
    STANDARD(90.0),
    OPTIONAL(80.0);

    private final double requiredPercent;

    FeatureClass(double requiredPercent) {
        this.requiredPercent = requiredPercent;
    }

    public double requiredPercent() {
        return requiredPercent;
    }

    public boolean meets(double percent) {
        return percent >= requiredPercent;
    }
}
