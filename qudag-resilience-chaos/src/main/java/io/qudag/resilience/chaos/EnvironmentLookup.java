package io.qudag.resilience.chaos;

/**
 * Reads environment variables; the seam through which tests set the chaos guard
 * ({@value ChaosSwitch#GUARD_VARIABLE}) without touching the real environment (spec §5.1, safety).
 */
@FunctionalInterface
public interface EnvironmentLookup {

    /**
     * {@return the value of {@code name}, or {@code null} when it is not set}
     *
     * @param name the variable's name
     */
    String get(String name);

    /** {@return the process environment ({@link System#getenv(String)})} */
    static EnvironmentLookup system() {
        return System::getenv;
    }
}
