/** Bounded-memory 24 h history of each metric and subject (spec §2.1 historical analysis). */
package io.qudag.resilience.health.history;
