package io.qudag.resilience.health.spi;

/**
 * A streaming forecaster over one metric's evenly spaced samples (spec §2.1 predictive block,
 * {@code failure_prediction} and {@code capacity_planning}). The health module ships Holt's linear
 * trend and Holt-Winters; plug in another model (an LSTM served elsewhere, gradient boosting) by
 * implementing this and passing a factory to the monitoring system.
 *
 * <p>One instance per series, fed from one thread.
 */
public interface Forecaster {

    /**
     * Feeds the next sample.
     *
     * @param value the sample, in the series' unit
     */
    void update(double value);

    /** {@return whether enough samples were seen to forecast} */
    boolean ready();

    /**
     * {@return the point forecast {@code steps} samples ahead ({@code steps >= 1})}
     *
     * @param steps how many sampling steps ahead, {@code >= 1}
     * @throws IllegalStateException before {@link #ready()}
     */
    double forecast(int steps);

    /** {@return the standard deviation of the one-step forecast errors so far (0 before data)} */
    double residualStdDev();

    /** {@return the current trend per step (0 for models without one)} */
    double trend();

    /**
     * {@return the standard deviation of the forecast error {@code steps} ahead; by default the one-step
     * deviation times {@code sqrt(steps)} (a random walk)} Models that know better override it.
     *
     * @param steps how many sampling steps ahead, {@code >= 1}
     */
    default double forecastStdDev(int steps) {
        return residualStdDev() * Math.sqrt(steps);
    }
}
