/** Events the core publishes to listeners. */
package io.qudag.resilience.core.event;
