package io.qudag.resilience.recovery.spi;

/**
 * A domain check that a recovered state must pass before it goes live (spec §4.1
 * validate_recovered_data, business_rule_validation).
 *
 * @param <S> the state type
 */
@FunctionalInterface
public interface StateValidator<S> {

    /**
     * Judges a recovered state.
     *
     * @param state the recovered state
     * @return {@code null} when {@code state} is valid, otherwise what is wrong with it
     */
    String validate(S state);
}
