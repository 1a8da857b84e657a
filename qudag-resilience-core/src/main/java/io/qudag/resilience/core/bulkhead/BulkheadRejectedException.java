package io.qudag.resilience.core.bulkhead;

import io.qudag.resilience.core.RejectedCallException;

/** Thrown when a call finds its bulkhead full. Outcome: {@code REJECTED}. */
public final class BulkheadRejectedException extends RejectedCallException {

    /**
     * A rejection by the full bulkhead {@code bulkheadName}.
     *
     * @param bulkheadName the bulkhead's name
     */
    public BulkheadRejectedException(String bulkheadName) {
        super(bulkheadName, "bulkhead '" + bulkheadName + "' is full");
    }
}
