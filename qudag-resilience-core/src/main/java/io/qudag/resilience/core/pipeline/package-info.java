/** The ResiliencePipeline and its builder: fallback, breaker, bulkhead, time limit, retry around one call. */
package io.qudag.resilience.core.pipeline;
