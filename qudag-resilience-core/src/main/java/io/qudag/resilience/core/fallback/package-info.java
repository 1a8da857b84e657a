/** Fallback strategies of spec §3.1: cached, alternative service, degraded and static responses. */
package io.qudag.resilience.core.fallback;
