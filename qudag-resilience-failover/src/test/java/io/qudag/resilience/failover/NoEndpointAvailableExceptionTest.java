package io.qudag.resilience.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exception carries each endpoint's reason, in its message and as data. */
class NoEndpointAvailableExceptionTest {

    @Test
    void eachEndpointsReasonIsInTheMessageAndInCauses() {
        Map<String, Throwable> causes = new LinkedHashMap<>();
        causes.put("primary", new ConnectException("Connection refused"));
        causes.put("replica", new IOException("HTTP 503"));
        causes.put("dr", null);
        NoEndpointAvailableException e = new NoEndpointAvailableException("create",
                "no endpoint of [primary, replica, dr] became ready within PT20S", causes);

        assertThat(e).hasMessage("no endpoint of [primary, replica, dr] became ready within PT20S;"
                + " primary: ConnectException (Connection refused); replica: IOException (HTTP 503); dr: no reason recorded");
        assertThat(e.causes()).containsOnlyKeys("primary", "replica", "dr");
        assertThat(e.getCause()).isSameAs(causes.get("primary"));
        assertThat(e.rejectedBy()).isEqualTo("create");
    }

    @Test
    void withoutReasonsTheMessageIsUnchanged() {
        NoEndpointAvailableException e = new NoEndpointAvailableException("g", "no endpoint of group g can take calls");
        assertThat(e).hasMessage("no endpoint of group g can take calls");
        assertThat(e.causes()).isEmpty();
        assertThat(e.getCause()).isNull();
    }
}
