/** Extension points of the core: the breaker slot, outcome classification and the signals other modules supply. */
package io.qudag.resilience.core.spi;
