package io.qudag.resilience.recovery.plan;

import io.qudag.resilience.core.plan.IncidentSignal;
import io.qudag.resilience.recovery.event.CorruptionDetectedEvent;
import io.qudag.resilience.recovery.event.RecoveryListener;
import io.qudag.resilience.recovery.event.RecoveryResumedEvent;
import java.util.function.Consumer;

/**
 * Turns a recovery manager's events into disaster-recovery plan signals (spec §4.3 incident
 * detection): detected corruption becomes {@link IncidentSignal#journalCorrupted}, resumed operation
 * becomes {@link IncidentSignal#journalRepaired}. Register it with
 * {@code RecoveryManager.builder(...).listener(JournalPlanSignals.listener("orders", plan::signal))}.
 */
public final class JournalPlanSignals {

    private JournalPlanSignals() {
    }

    /**
     * {@return a listener reporting journal {@code journal}'s corruption and repair to {@code sink}}
     *
     * @param journal the journal's name, as the signals name it
     * @param sink    receives the signals
     * @throws IllegalArgumentException naming the field for a blank journal name or a null sink
     */
    public static RecoveryListener listener(String journal, Consumer<IncidentSignal> sink) {
        if (journal == null || journal.isBlank()) {
            throw new IllegalArgumentException("journal must not be blank, was "
                    + (journal == null ? "null" : '"' + journal + '"'));
        }
        if (sink == null) {
            throw new IllegalArgumentException("sink must not be null, was null");
        }
        return event -> {
            if (event instanceof CorruptionDetectedEvent c) {
                sink.accept(IncidentSignal.journalCorrupted(journal, "journal " + journal + ": " + c.problem() + " in "
                        + c.file().getFileName() + " at offset " + c.offset()));
            } else if (event instanceof RecoveryResumedEvent) {
                sink.accept(IncidentSignal.journalRepaired(journal));
            }
        };
    }
}
