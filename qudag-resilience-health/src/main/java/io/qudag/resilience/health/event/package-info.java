/** Events of the health module: alert level changes of a monitored metric (spec §2.1). */
package io.qudag.resilience.health.event;
