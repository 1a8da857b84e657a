package io.qudag.resilience.chaos;

import io.qudag.resilience.core.spi.CallInterceptor;

/**
 * One kind of fault injected into calls (spec §5.1). Add it to a
 * pipeline like any other stage ({@code ResiliencePipeline.builder(..).interceptor(injector)}); it runs
 * around each attempt, inside retry and the time limit, so the protections react to it.
 *
 * <p>An injector injects only while all of these hold: its {@link ChaosSwitch} is armed (enabled in
 * code and {@code QUDAG_CHAOS_ENABLED=true}), it was {@link #start() started} and its duration has not
 * run out, the call matches its scope, and its own seeded random draw falls under its rate. When the
 * switch is off the per-call cost is two volatile reads and no allocation.
 *
 * @param <R> the result type of the pipeline it sits in
 */
public interface FaultInjector<R> extends CallInterceptor<R> {

    /**
     * {@return a builder of an injector named {@code name}, guarded by {@code chaosSwitch}}
     *
     * @param <R>         the result type of the pipeline
     * @param name        the injector's name (its meters' tag)
     * @param chaosSwitch the switch that must be armed for it to inject
     */
    static <R> FaultInjectorBuilder<R> builder(String name, ChaosSwitch chaosSwitch) {
        return new FaultInjectorBuilder<>(name, chaosSwitch);
    }

    /** {@return the injector's name} */
    default String name() {
        return config().name();
    }

    /** {@return the kind of fault it injects} */
    default FaultKind kind() {
        return config().kind();
    }

    /** {@return the injector's configuration} */
    InjectorConfig config();

    /** Opens the injector's active window (its duration from now, or until {@link #stop()}). */
    void start();

    /** Closes the window: no more injections. Idempotent. */
    void stop();

    /** {@return whether the window is open (the switch may still be off)} */
    boolean active();

    /** {@return calls the injector considered while armed and active (matching its scope)} */
    long considered();

    /** {@return the faults injected so far} */
    long injected();
}
