/** Experiment and drill reports: JSON, Markdown and one self-contained HTML page (spec §5.1, §5.2). */
package io.qudag.resilience.chaos.report;
