package io.qudag.resilience.chaos.experiment;

import io.qudag.resilience.chaos.report.FeatureClass;
import java.util.function.DoubleSupplier;

/**
 * A check of how much of a feature class still works (spec §5.2, functionality validation), read at
 * the end of the method: {@code percent} returns 0–100.
 */
public record FunctionalityCheck(String name, FeatureClass featureClass, DoubleSupplier percent) {

    /**
     * Validates the components.
     *
     * @param name         the check's name in the report, not blank
     * @param featureClass the class whose required percentage the reading must meet
     * @param percent      reads how much works now, 0–100
     * @throws IllegalArgumentException naming the value when one is missing or blank
     */
    public FunctionalityCheck {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("functionality check name must not be blank, was "
                    + (name == null ? "null" : '"' + name + '"'));
        }
        if (featureClass == null || percent == null) {
            throw new IllegalArgumentException("functionality check " + name + " needs a featureClass and a percent");
        }
    }
}
