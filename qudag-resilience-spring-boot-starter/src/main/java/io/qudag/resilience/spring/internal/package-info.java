/** Implementation of the starter; not API. */
package io.qudag.resilience.spring.internal;
