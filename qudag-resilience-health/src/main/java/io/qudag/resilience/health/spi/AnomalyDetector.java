package io.qudag.resilience.health.spi;

/**
 * A streaming anomaly detector over one metric's samples (spec §2.1 predictive block,
 * {@code anomaly_detection}). The health module ships a robust z-score and an isolation forest; plug in
 * another (e.g. Random Cut Forest) by implementing this and passing a factory to the monitoring system.
 *
 * <p>One instance watches one series and is fed from one thread. {@link #update(double)} should not
 * allocate in steady state.
 */
public interface AnomalyDetector {

    /**
     * Feeds one sample; true when this sample is judged anomalous.
     *
     * @param value the sample
     * @return true when this sample is anomalous
     */
    boolean update(double value);

    /** {@return the anomaly score of the last sample (the detector's own scale; higher is more anomalous; 0 before data)} */
    double lastScore();
}
