package io.qudag.resilience.core.plan.spi;

import io.qudag.resilience.core.plan.DisasterLevel;
import io.qudag.resilience.core.plan.IncidentSignal;
import java.util.Collection;

/**
 * An extra rule of an {@code IncidentClassifier} (spec §4.3): looks at the failing signals and names
 * the level they amount to. Called under the classifier's lock: keep it short, do not block.
 */
@FunctionalInterface
public interface ClassificationRule {

    /**
     * {@return the level {@code failing} amounts to by this rule, or {@code null} when the rule does not fire}
     *
     * @param failing the signals currently failing, one per key
     */
    DisasterLevel classify(Collection<IncidentSignal> failing);

    /** {@return the rule's name, used in the reasons of a classification} */
    default String name() {
        return getClass().getSimpleName();
    }
}
