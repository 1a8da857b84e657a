package io.qudag.resilience.core;

import io.qudag.resilience.core.spi.OutcomeClassifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** The default {@link OutcomeClassifier} and the unwrapping of completion wrappers. */
public final class Outcomes {

    private static final OutcomeClassifier DEFAULT = Outcomes::classifyDefault;

    private Outcomes() {
    }

    /**
     * {@return the classifier for plain Java calls: no error is SUCCESS; a {@link RejectedCallException} or a
     * {@link java.util.concurrent.CancellationException} (the call was given up on this side: it says
     * nothing about the dependency) is REJECTED; a {@link TimeoutException} anywhere in the cause chain is TIMEOUT; an
     * {@link IOException} (a {@link ConnectException} among them) is TRANSPORT_ERROR; an
     * {@link IllegalArgumentException} is CLIENT_ERROR; anything else is SERVER_ERROR}
     */
    public static OutcomeClassifier defaultClassifier() {
        return DEFAULT;
    }

    /**
     * Strips {@link CompletionException}, {@link ExecutionException} and reflection wrappers.
     *
     * @param error the error as caught
     * @return the innermost error that is not a wrapper; {@code error} itself when it is none
     */
    public static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException
                || t instanceof InvocationTargetException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * {@return the first throwable of {@code type} in the cause chain of {@code error}, or {@code null}}
     *
     * @param error the error whose cause chain is searched
     * @param type the type looked for
     * @param <T> the type looked for
     */
    public static <T extends Throwable> T findCause(Throwable error, Class<T> type) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < 32; depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
            t = t.getCause();
        }
        return null;
    }

    private static CallOutcome classifyDefault(Object result, Throwable error) {
        if (error == null) {
            return CallOutcome.SUCCESS;
        }
        Throwable t = unwrap(error);
        if (t instanceof RejectedCallException || t instanceof java.util.concurrent.CancellationException) {
            return CallOutcome.REJECTED;
        }
        if (findCause(t, TimeoutException.class) != null) {
            return CallOutcome.TIMEOUT;
        }
        if (findCause(t, IOException.class) != null || t instanceof UncheckedIOException) {
            return CallOutcome.TRANSPORT_ERROR;
        }
        if (t instanceof IllegalArgumentException) {
            return CallOutcome.CLIENT_ERROR;
        }
        return CallOutcome.SERVER_ERROR;
    }
}
