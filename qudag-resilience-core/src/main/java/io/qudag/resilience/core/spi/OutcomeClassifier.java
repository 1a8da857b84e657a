package io.qudag.resilience.core.spi;

import io.qudag.resilience.core.CallOutcome;

/**
 * Maps how a call ended (its result or its error) to a {@link CallOutcome}. The core default knows
 * plain Java exceptions; the MCP binding supplies one that knows MCP results and JSON-RPC errors.
 * Implementations must be stateless or thread-safe and must not throw.
 */
@FunctionalInterface
public interface OutcomeClassifier {

    /**
     * @param result the value the call returned, or {@code null}
     * @param error  the error it failed with (already unwrapped from completion wrappers), or
     *               {@code null} when it returned normally
     * @return the call's outcome; never {@code null}
     */
    CallOutcome classify(Object result, Throwable error);
}
