/** Events of the failover module (decisions, endpoint state changes, confirmations) and their listener. */
package io.qudag.resilience.failover.event;
