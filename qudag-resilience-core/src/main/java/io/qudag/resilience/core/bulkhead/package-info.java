/** Isolation classes and their bulkheads (spec §1.3, bulkhead pattern). */
package io.qudag.resilience.core.bulkhead;
