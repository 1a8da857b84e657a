/** Server failure: signals to processes by PID, and stopping in-process servers (spec §5.1). */
package io.qudag.resilience.chaos.process;
