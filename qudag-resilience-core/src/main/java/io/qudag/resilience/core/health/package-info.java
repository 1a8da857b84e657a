/** Weighted health scoring (spec §1.2, §2.1): indicators, sliding windows, composite scores, grades, actions. */
package io.qudag.resilience.core.health;
