package io.qudag.resilience.chaos;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fault an experiment can switch on and off (spec §5.1): a network partition, a frozen process, a
 * failing disk, memory pressure, or a {@link FaultInjector}'s window. {@link #inject()} applies it —
 * only while its {@link ChaosSwitch} is armed; {@link #heal()} undoes it and is idempotent, so rollbacks
 * may call it again. {@link #close()} heals and releases whatever the fault holds.
 */
public interface Fault extends AutoCloseable {

    /** {@return the fault's name, for reports} */
    String name();

    /** {@return what kind of fault it is} */
    FaultKind kind();

    /** {@return what it does, for reports and dry runs (e.g. "freeze TCP proxy primary (127.0.0.1:4100 → :4000)")} */
    String description();

    /**
     * Applies the fault if the switch is armed.
     *
     * @return whether it was applied (false: chaos is off, nothing happened)
     * @throws Exception when applying it failed
     */
    boolean inject() throws Exception;

    /**
     * Undoes the fault; does nothing if it is not applied.
     *
     * @throws Exception when undoing it failed
     */
    void heal() throws Exception;

    /** {@return whether the fault is applied now} */
    boolean injected();

    @Override
    default void close() throws Exception {
        heal();
    }

    /**
     * {@return a fault made of two actions, e.g. stopping and restarting an in-process server}
     *
     * @param name        the fault's name
     * @param kind        what kind of fault it is
     * @param description what it does, for reports
     * @param chaosSwitch the switch that must be armed for {@code inject} to run
     * @param inject      applies the fault
     * @param heal        undoes it
     */
    static Fault of(String name, FaultKind kind, String description, ChaosSwitch chaosSwitch, Action inject,
            Action heal) {
        return new Simple(name, kind, description, chaosSwitch, inject, heal);
    }

    /**
     * {@return several faults as one (e.g. a whole tier partitioned): injected in order, healed in reverse} If one
     * fails to inject, those already injected are healed before the error is thrown.
     *
     * @param name        the combined fault's name
     * @param chaosSwitch the switch that must be armed
     * @param faults      the faults, at least one
     */
    static Fault all(String name, ChaosSwitch chaosSwitch, java.util.List<Fault> faults) {
        if (faults == null || faults.isEmpty()) {
            throw new IllegalArgumentException("faults must not be empty, was " + faults);
        }
        java.util.List<Fault> list = java.util.List.copyOf(faults);
        StringBuilder d = new StringBuilder();
        for (Fault f : list) {
            d.append(d.length() == 0 ? "" : " + ").append(f.description());
        }
        return of(name, list.get(0).kind(), d.toString(), chaosSwitch, () -> {
            int done = 0;
            try {
                for (Fault f : list) {
                    if (!f.inject()) {
                        throw new IllegalStateException("fault " + f.name() + " was not injected: chaos is off");
                    }
                    done++;
                }
            } catch (Exception | Error e) {
                for (int i = done - 1; i >= 0; i--) {
                    list.get(i).heal();
                }
                throw e;
            }
        }, () -> {
            Exception first = null;
            for (int i = list.size() - 1; i >= 0; i--) {
                try {
                    list.get(i).heal();
                } catch (Exception e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        });
    }

    /**
     * {@return a {@link FaultInjector}'s window as a fault: inject starts it, heal stops it}
     *
     * @param injector    the injector
     * @param chaosSwitch the switch that must be armed
     */
    static Fault window(FaultInjector<?> injector, ChaosSwitch chaosSwitch) {
        return of(injector.name(), injector.kind(), injector.kind() + " at rate " + injector.config().rate()
                + " (" + injector.name() + ")", chaosSwitch, injector::start, injector::stop);
    }

    /** An action that may throw. */
    @FunctionalInterface
    interface Action {
        /**
         * Runs the action.
         *
         * @throws Exception when it fails
         */
        void run() throws Exception;
    }

    /** {@link #of}. */
    final class Simple implements Fault {
        private static final Logger LOG = LoggerFactory.getLogger(Fault.class);
        private final String name;
        private final FaultKind kind;
        private final String description;
        private final ChaosSwitch chaosSwitch;
        private final Action inject;
        private final Action heal;
        private final AtomicBoolean on = new AtomicBoolean();

        Simple(String name, FaultKind kind, String description, ChaosSwitch chaosSwitch, Action inject, Action heal) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, was " + (name == null ? "null" : '"' + name + '"'));
            }
            this.name = name;
            this.kind = Objects.requireNonNull(kind, "kind");
            this.description = description == null ? name : description;
            this.chaosSwitch = Objects.requireNonNull(chaosSwitch, "chaosSwitch");
            this.inject = Objects.requireNonNull(inject, "inject");
            this.heal = Objects.requireNonNull(heal, "heal");
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public FaultKind kind() {
            return kind;
        }

        @Override
        public String description() {
            return description;
        }

        @Override
        public boolean inject() throws Exception {
            if (!chaosSwitch.armed()) {
                chaosSwitch.sayOffOnce();
                return false;
            }
            if (on.compareAndSet(false, true)) {
                try {
                    inject.run();
                } catch (Exception | Error e) {
                    on.set(false);
                    throw e;
                }
                LOG.info("fault {} injected: {}", name, description);
            }
            return true;
        }

        @Override
        public void heal() throws Exception {
            if (on.compareAndSet(true, false)) {
                heal.run();
                LOG.info("fault {} healed", name);
            }
        }

        @Override
        public boolean injected() {
            return on.get();
        }

        @Override
        public String toString() {
            return "Fault{" + name + ", " + kind + (on.get() ? ", injected}" : "}");
        }
    }
}
