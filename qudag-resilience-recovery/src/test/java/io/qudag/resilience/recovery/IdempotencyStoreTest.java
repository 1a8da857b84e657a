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

    /** The state built by committed effects: every effect in the order it was applied. */
    private static final class Ledger implements io.qudag.resilience.recovery.spi.TransactionalEffects {
        final List<String> applied = new ArrayList<>();

        @Override
        public void apply(String key, byte[] effect) {
            applied.add(key + "=" + new String(effect, StandardCharsets.UTF_8));
        }
    }

    @Test
    void aTransactionalCommitWritesResultAndEffectTogether_andReplayRebuildsTheState() {
        try (Journal j = open()) {
            Ledger ledger = new Ledger();
            IdempotencyStore s = IdempotencyStore.open(j, ledger);
            assertThat(s.transactional()).isTrue();
            IdempotencyStore.Entry started = s.beginTransactional("t1", b("pay 10"));
            assertThat(started.state()).isEqualTo(IdempotencyStore.State.STARTED);
            assertThat(started.transactional()).isTrue();
            assertThat(ledger.applied).as("nothing applied before the commit").isEmpty();
            IdempotencyStore.Entry done = s.commit("t1", b("paid"), false, b("-10"));
            assertThat(done.state()).isEqualTo(IdempotencyStore.State.COMPLETED);
            assertThat(ledger.applied).containsExactly("t1=-10");
            assertThat(s.beginTransactional("t1", b("pay 10")).result()).isEqualTo(b("paid"));
            s.beginTransactional("t2", b("pay 0"));
            s.commit("t2", b("nothing to pay"), true, null);
            assertThat(ledger.applied).as("a null effect changes nothing").containsExactly("t1=-10");
            assertThatThrownBy(() -> s.commit("t1", b("x"), false, b("y"))).hasMessage("key 't1' already has a result");
            s.begin("plain", b("delete"));
            assertThatThrownBy(() -> s.commit("plain", b("x"), false, b("y")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("key 'plain' was not begun as a transactional operation");
        }
        try (Journal j = open()) {
            Ledger ledger = new Ledger();
            IdempotencyStore s = IdempotencyStore.open(j, ledger);
            assertThat(ledger.applied).as("replay applies each committed effect once").containsExactly("t1=-10");
            assertThat(s.lookup("t2").orElseThrow()).satisfies(e -> {
                assertThat(e.error()).isTrue();
                assertThat(e.result()).isEqualTo(b("nothing to pay"));
            });
        }
        try (Journal j = open()) {
            assertThatThrownBy(() -> IdempotencyStore.open(j)).isInstanceOf(JournalException.class)
                    .hasMessageContaining("key 't1' committed an effect")
                    .hasMessageContaining(dir.toString());
        }
    }

    @Test
    void aTransactionalIntentLeftByACrashRunsAgainOnce_aPlainOneNever() {
        try (Journal j = open()) {
            IdempotencyStore s = IdempotencyStore.open(j, new Ledger());
            s.beginTransactional("cut", b("pay 5"));
            s.begin("plain", b("delete"));
            // the process dies here: no commit, no result
        }
        try (Journal j = open()) {
            Ledger ledger = new Ledger();
            IdempotencyStore s = IdempotencyStore.open(j, ledger);
            assertThat(s.unresolved()).extracting(IdempotencyStore.Entry::key).containsExactly("cut", "plain");
            assertThat(s.begin("cut", b("pay 5")).state()).as("a plain begin never takes over")
                    .isEqualTo(IdempotencyStore.State.IN_PROGRESS);
            assertThat(s.beginTransactional("plain", b("delete")).state())
                    .as("an intent that was not transactional may have had its effect: never run again")
                    .isEqualTo(IdempotencyStore.State.IN_PROGRESS);
            IdempotencyStore.Entry resumed = s.beginTransactional("cut", b("pay 5"));
            assertThat(resumed.state()).isEqualTo(IdempotencyStore.State.RESUMED);
            assertThat(s.beginTransactional("cut", b("pay 5")).state()).as("taken over once")
                    .isEqualTo(IdempotencyStore.State.IN_PROGRESS);
            assertThatThrownBy(() -> s.beginTransactional("cut", b("pay 6")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different request");
            s.commit("cut", b("paid 5"), false, b("-5"));
            assertThat(ledger.applied).containsExactly("cut=-5");
            assertThat(s.unresolved()).extracting(IdempotencyStore.Entry::key).containsExactly("plain");
        }
        try (Journal j = open()) {
            Ledger ledger = new Ledger();
            IdempotencyStore s = IdempotencyStore.open(j, ledger);
            assertThat(ledger.applied).containsExactly("cut=-5");
            assertThat(s.beginTransactional("cut", b("pay 5")).state()).isEqualTo(IdempotencyStore.State.COMPLETED);
        }
    }

    @Test
    void aCommitTornByACrashLeavesNeitherResultNorEffect_soTheKeyRunsAgain() throws Exception {
        Path segment;
        try (Journal j = open()) {
            IdempotencyStore s = IdempotencyStore.open(j, new Ledger());
            s.beginTransactional("torn", b("pay 7"));
            s.commit("torn", b("paid 7"), false, b("-7"));
            segment = j.segments().get(j.segments().size() - 1).file();
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(segment,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 3);   // the commit record lost its last bytes
        }
        try (Journal j = open()) {
            Ledger ledger = new Ledger();
            IdempotencyStore s = IdempotencyStore.open(j, ledger);
            assertThat(ledger.applied).as("the effect did not commit").isEmpty();
            assertThat(s.beginTransactional("torn", b("pay 7")).state()).isEqualTo(IdempotencyStore.State.RESUMED);
            s.commit("torn", b("paid 7 again"), false, b("-7"));
            assertThat(ledger.applied).containsExactly("torn=-7");
        }
    }

    @Test
    void transactionalCallsNeedAStoreWithEffects() {
        try (Journal j = open()) {
            IdempotencyStore s = IdempotencyStore.open(j);
            assertThat(s.transactional()).isFalse();
            assertThatThrownBy(() -> s.beginTransactional("k", b("x"))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("key 'k': transactional operations need a store opened with TransactionalEffects");
            s.begin("k", b("x"));
            assertThatThrownBy(() -> s.commit("k", b("r"), false, null)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("commit needs a store opened with TransactionalEffects");
            assertThatThrownBy(() -> IdempotencyStore.open(j, null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("effects must not be null, was null");
        }
    }
}
