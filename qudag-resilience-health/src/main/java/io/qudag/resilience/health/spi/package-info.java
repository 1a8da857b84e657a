/**
 * Extension points of the health module: metric sources, anomaly detectors and forecasters (spec §2.1
 * predictive block) and the vote transport of the health consensus (spec §2.2).
 */
package io.qudag.resilience.health.spi;
