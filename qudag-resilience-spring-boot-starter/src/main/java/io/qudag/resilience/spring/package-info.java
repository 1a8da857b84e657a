/** Spring Boot 4 and Spring AI 2.0 binding of the library: properties, auto-configuration, Actuator. */
package io.qudag.resilience.spring;
