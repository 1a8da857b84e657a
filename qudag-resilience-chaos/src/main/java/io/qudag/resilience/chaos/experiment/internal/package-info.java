/** The experiment runner; not an API. */
package io.qudag.resilience.chaos.experiment.internal;
