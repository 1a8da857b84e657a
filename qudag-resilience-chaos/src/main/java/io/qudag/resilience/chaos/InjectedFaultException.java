package io.qudag.resilience.chaos;

/**
 * The exception an injector throws when it is told to inject a failure and no specific exception was
 * given (spec §5.1). Its message names the injector, so a failure seen in a log is never mistaken for
 * a real one.
 */
public class InjectedFaultException extends RuntimeException {

    /** The name of the injector that threw it. */
    private final String injector;

    /**
     * Creates the exception; the message is prefixed with {@code [chaos:<injector>]}.
     *
     * @param injector the injector's name
     * @param message  what failed
     */
    public InjectedFaultException(String injector, String message) {
        super("[chaos:" + injector + "] " + message);
        this.injector = injector;
    }

    /**
     * Creates the exception; the message is prefixed with {@code [chaos:<injector>]}.
     *
     * @param injector the injector's name
     * @param message  what failed
     * @param cause    the cause
     */
    public InjectedFaultException(String injector, String message, Throwable cause) {
        super("[chaos:" + injector + "] " + message, cause);
        this.injector = injector;
    }

    /** {@return the name of the injector that threw it} */
    public String injector() {
        return injector;
    }
}
