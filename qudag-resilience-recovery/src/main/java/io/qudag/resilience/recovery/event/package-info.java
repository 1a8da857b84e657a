/** Events of recovery: each step of detection, isolation, recovery, validation and resumption (spec §4.1). */
package io.qudag.resilience.recovery.event;
