/**
 * Prediction of spec §2.1 (predictive block): anomaly detectors, forecasters, change-point and leak
 * detectors, and the early-warning levels built on them.
 */
package io.qudag.resilience.health.predict;
