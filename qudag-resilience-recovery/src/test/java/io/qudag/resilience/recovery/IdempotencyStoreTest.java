package io.qudag.resilience.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdempotencyStoreTest {

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Journal open() {
        return Journal.open(JournalConfig.builder(dir).durability(Durability.SYNC).build());
    }

    @Test
    void aKeyRunsOnceAndItsResultSurvivesARestart() {
        try (Journal j = open()) {
            IdempotencyStore s = IdempotencyStore.open(j);
            assertThat(s.begin("k1", b("delete file a")).state()).isEqualTo(IdempotencyStore.State.STARTED);
            assertThat(s.begin("k1", b("delete file a")).state()).isEqualTo(IdempotencyStore.State.IN_PROGRESS);
            s.complete("k1", b("deleted"), false);
            IdempotencyStore.Entry again = s.begin("k1", b("delete file a"));
            assertThat(again.state()).isEqualTo(IdempotencyStore.State.COMPLETED);
            assertThat(again.result()).isEqualTo(b("deleted"));
            assertThat(s.begin("k2", b("delete file b")).state()).isEqualTo(IdempotencyStore.State.STARTED);
            assertThatThrownBy(() -> s.begin("k1", b("delete file z"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("key 'k1' was used for a different request");
            assertThatThrownBy(() -> s.complete("k1", b("x"), false)).hasMessage("key 'k1' already has a result");
            assertThatThrownBy(() -> s.complete("nope", b("x"), false)).hasMessage("key 'nope' has no intent to complete");
            j.append(1, b("an application record in between"));
        }
        try (Journal j = open()) {
            IdempotencyStore s = IdempotencyStore.open(j);
            assertThat(s.lookup("k1")).get().satisfies(e -> {
                assertThat(e.state()).isEqualTo(IdempotencyStore.State.COMPLETED);
                assertThat(e.result()).isEqualTo(b("deleted"));
                assertThat(e.error()).isFalse();
            });
            assertThat(s.unresolved()).extracting(IdempotencyStore.Entry::key).containsExactly("k2");
            s.complete("k2", b("failed: busy"), true);
            assertThat(s.unresolved()).isEmpty();
            assertThat(s.lookup("k2").orElseThrow().error()).isTrue();
        }
    }

    @Test
    void concurrentBeginsOfOneKeyStartItExactlyOnce() throws Exception {
        try (Journal j = open()) {
            IdempotencyStore s = IdempotencyStore.open(j);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Callable<IdempotencyStore.State>> calls = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    calls.add(() -> s.begin("same", b("req")).state());
                }
                long started = 0;
                for (Future<IdempotencyStore.State> f : pool.invokeAll(calls)) {
                    if (f.get() == IdempotencyStore.State.STARTED) {
                        started++;
                    }
                }
                assertThat(started).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
