package io.qudag.resilience.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link ServerToolsExample} against its real server and client: each refusal it shows happened. */
class ServerToolsExampleTest {

    @Test
    void theSlowToolIsCutAndTheFullBulkheadRejectsWhileOtherToolsServe() throws Exception {
        ServerToolsExample.Result r = ServerToolsExample.run();
        assertThat(r.searchAnswered()).isTrue();
        assertThat(r.slowToolCutByTimeLimit()).as("slow_report answered an isError rejection before 5 s").isTrue();
        assertThat(r.secondReindexRejected()).as("second reindex refused by the BACKGROUND bulkhead of 1").isTrue();
        assertThat(r.searchAnsweredWhileBackgroundFull()).isTrue();
        assertThat(r.foreignHostRefused()).as("Host evil.example refused with 403").isTrue();
        assertThat(r.held()).isTrue();
    }
}
