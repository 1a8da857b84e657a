/** Implementation of the pipeline. Not API. */
package io.qudag.resilience.core.pipeline.internal;
