package io.qudag.resilience.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.qudag.resilience.chaos.report.ExperimentStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ChaosExample}: the experiment passes with a measured recovery and writes its HTML report. */
class ChaosExampleTest {

    @TempDir
    Path dir;

    @Test
    void thePartitionOfThePrimaryIsAbsorbedAndReported() throws Exception {
        ChaosExample.Result r = ChaosExample.run(name -> "true", dir); // the guard, as QUDAG_CHAOS_ENABLED=true
        assertThat(r.status()).isEqualTo(ExperimentStatus.PASSED);
        assertThat(r.faultsInjected()).isEqualTo(1);
        assertThat(r.rtoMet()).isTrue();
        assertThat(r.replicaCallsDuringExperiment()).isPositive();
        assertThat(r.html()).isEqualTo(dir.resolve("report.html"));
        assertThat(Files.readString(r.html())).contains("partition of the primary");
        assertThat(r.held()).isTrue();
    }

    @Test
    void withoutTheGuardNothingIsInjectedAndTheExampleFails() throws Exception {
        ChaosExample.Result r = ChaosExample.run(name -> null, dir);
        assertThat(r.faultsInjected()).isZero();
        assertThat(r.held()).isFalse();
        assertThat(dir.resolve("report.html")).doesNotExist();
    }
}
