/**
 * Exposure of health (spec §2.1 health status reporting): the JSON report, Kubernetes-style liveness
 * and readiness, and an embeddable HTTP endpoint with a self-contained HTML page.
 */
package io.qudag.resilience.health.http;
