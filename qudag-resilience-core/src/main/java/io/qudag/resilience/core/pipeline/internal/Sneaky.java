package io.qudag.resilience.core.pipeline.internal;

/** Rethrows any throwable unchanged, checked ones included. */
final class Sneaky {
    private Sneaky() {
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException rethrow(Throwable t) throws E {
        throw (E) t;
    }
}
