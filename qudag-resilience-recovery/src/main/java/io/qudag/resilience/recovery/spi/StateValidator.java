package io.qudag.resilience.recovery.spi;

/**
 * A domain check that a recovered state must pass before it goes live (spec §4.1
 * validate_recovered_data, business_rule_validation).
 *
 * @param <S> the state type
 */
@FunctionalInterface
public interface StateValidator<S> {

    /** Returns {@code null} when {@code state} is valid, otherwise what is wrong with it. */
    String validate(S state);
}
