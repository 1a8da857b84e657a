package io.qudag.resilience.chaos;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master switch of chaos (spec §5.1, safety mechanisms). Chaos is off by default: injectors inject
 * only while this switch is {@link #enable() enabled in code} <em>and</em> the environment guard
 * {@value #GUARD_VARIABLE}{@code =true} is set. Without both they inject nothing, and the switch says so
 * once in the log. {@link #disable()} is the kill switch that stops every injector bound to it at once.
 *
 * <p>Not a singleton: create one per application (or per experiment) and hand it to the injectors.
 * Thread-safe; {@link #armed()} is one volatile read.
 */
public final class ChaosSwitch {

    /** The environment variable that must be {@code true} for chaos to run. */
    public static final String GUARD_VARIABLE = "QUDAG_CHAOS_ENABLED";

    private static final Logger LOG = LoggerFactory.getLogger(ChaosSwitch.class);

    private final String name;
    private final EnvironmentLookup environment;
    private final AtomicBoolean saidOff = new AtomicBoolean();
    private volatile boolean enabledInCode;
    private volatile boolean armed;

    private ChaosSwitch(String name, EnvironmentLookup environment) {
        this.name = name;
        this.environment = environment;
    }

    /**
     * {@return a switch, off, that reads the guard from the process environment}
     *
     * @param name the switch's name, not blank
     */
    public static ChaosSwitch create(String name) {
        return create(name, EnvironmentLookup.system());
    }

    /**
     * {@return a switch, off, that reads the guard through {@code environment}}
     *
     * @param name        the switch's name, not blank
     * @param environment reads the guard variable
     */
    public static ChaosSwitch create(String name, EnvironmentLookup environment) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, was " + (name == null ? "null" : '"' + name + '"'));
        }
        return new ChaosSwitch(name, Objects.requireNonNull(environment, "environment"));
    }

    /** {@return the switch's name} */
    public String name() {
        return name;
    }

    /**
     * Turns chaos on in code. It is armed only when the guard is also set; otherwise the switch stays
     * disarmed and logs that once.
     *
     * @return whether chaos is now armed
     */
    public boolean enable() {
        enabledInCode = true;
        boolean guard = guardSet();
        armed = guard;
        if (guard) {
            LOG.warn("chaos switch {} ARMED: fault injection is live", name);
        } else {
            sayOffOnce();
        }
        return guard;
    }

    /** Turns chaos off: every injector bound to this switch stops injecting at its next call. */
    public void disable() {
        armed = false;
        enabledInCode = false;
    }

    /** {@return whether injectors may inject: enabled in code and guarded by the environment} */
    public boolean armed() {
        return armed;
    }

    /** {@return whether chaos was turned on in code (armed only if the guard is also set)} */
    public boolean enabledInCode() {
        return enabledInCode;
    }

    /** {@return whether {@value #GUARD_VARIABLE} is {@code true} in the environment now} */
    public boolean guardSet() {
        return "true".equalsIgnoreCase(environment.get(GUARD_VARIABLE));
    }

    /** Logs, once per switch, why chaos injects nothing. */
    public void sayOffOnce() {
        if (saidOff.compareAndSet(false, true)) {
            LOG.info("chaos switch {} is off (enabled in code: {}, {}={}): injectors inject nothing",
                    name, enabledInCode, GUARD_VARIABLE, environment.get(GUARD_VARIABLE));
        }
    }

    @Override
    public String toString() {
        return "ChaosSwitch{" + name + (armed ? ", armed}" : ", off}");
    }
}
