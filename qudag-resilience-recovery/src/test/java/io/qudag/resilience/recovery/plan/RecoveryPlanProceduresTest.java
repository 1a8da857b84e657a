package io.qudag.resilience.recovery.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.core.plan.DisasterLevel;
import io.qudag.resilience.core.plan.DisasterRecoveryPlan;
import io.qudag.resilience.core.plan.DisasterRecoveryPlanConfig;
import io.qudag.resilience.core.plan.IncidentSignal;
import io.qudag.resilience.core.plan.OperatingMode;
import io.qudag.resilience.core.plan.RecoveryPhase;
import io.qudag.resilience.core.plan.event.PlanEvent;
import io.qudag.resilience.core.plan.spi.RecoveryProcedure;
import io.qudag.resilience.recovery.DataClass;
import io.qudag.resilience.recovery.Durability;
import io.qudag.resilience.recovery.Journal;
import io.qudag.resilience.recovery.JournalConfig;
import io.qudag.resilience.recovery.RecoveryManager;
import io.qudag.resilience.recovery.RecoveryPolicy;
import io.qudag.resilience.recovery.SegmentInfo;
import io.qudag.resilience.recovery.spi.StateValidator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restore procedure and the journal audit sink with a real journal and a real plan. */
class RecoveryPlanProceduresTest {

    private static final String RESTORE = "restore-orders";

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC);
    private final ExecutorService planExecutor = Executors.newSingleThreadExecutor();
    private Journal journal;
    private Journal auditJournal;
    private RecoveryManager<TreeMap<String, Long>> manager;
    private DisasterRecoveryPlan plan;

    @AfterEach
    void close() throws InterruptedException {
        if (plan != null) {
            plan.close();
        }
        planExecutor.shutdownNow();
        assertThat(planExecutor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        if (manager != null) {
            manager.close();
        }
        if (journal != null) {
            journal.close();
        }
        if (auditJournal != null) {
            auditJournal.close();
        }
    }

    private void openData() {
        journal = Journal.open(JournalConfig.builder(dir.resolve("orders")).name("orders").clock(clock)
                .durability(Durability.SYNC).segmentSize(4096).build());
        manager = RecoveryManager.builder(journal, new Counters()).scrubOnSchedule(false)
                .objectives(RecoveryPolicy.defaults().objectivesFor("orders", DataClass.IMPORTANT)).build();
    }

    private Journal openAudit() {
        return Journal.open(JournalConfig.builder(dir.resolve("audit")).name("audit").clock(clock)
                .durability(Durability.SYNC).build());
    }

    private void fill(int n) {
        for (int i = 0; i < n; i++) {
            manager.append(1, Counters.event("k" + (i % 13), 1));
        }
    }

    @SafeVarargs
    private DisasterRecoveryPlan plan(StateValidator<TreeMap<String, Long>>... validators) {
        RecoveryProcedure restore = RecoveryPlanProcedures.restoreFromLastGoodSnapshot(RESTORE, manager, validators)
                .level(DisasterLevel.SERVICE_DISRUPTION).timeout(Duration.ofSeconds(30)).build();
        return DisasterRecoveryPlan.builder().name("orders-plan").clock(clock).executor(planExecutor)
                .config(DisasterRecoveryPlanConfig.builder().procedure(restore).build())
                .auditSink(JournalAuditSink.of(auditJournal)).build();
    }

    private static void flip(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x5A)).rewind();
            ch.write(b, offset);
            ch.force(true);
        }
    }

    private long started(String procedure) {
        return plan.auditTrail().stream()
                .filter(e -> e.type() == PlanEvent.Type.PROCEDURE_STARTED && procedure.equals(e.procedure())).count();
    }

    @Test
    void aLevelTwoIncident_restoresFromTheLastGoodSnapshotOnce_andItsAuditTrailSurvivesAReopen() throws IOException {
        openData();
        auditJournal = openAudit();
        fill(600);
        manager.snapshot();
        fill(100);
        TreeMap<String, Long> before = new TreeMap<>(manager.current());
        List<SegmentInfo> segments = journal.segments();
        assertThat(segments.size()).isGreaterThanOrEqualTo(4);
        SegmentInfo victim = segments.get(1);
        flip(victim.file(), victim.sizeBytes() / 2);
        plan = plan(s -> s.isEmpty() ? "no counters" : null);

        plan.signal(IncidentSignal.journalCorrupted("orders", "checksum mismatch in " + victim.file().getFileName()));
        assertThat(plan.currentIncident()).hasValueSatisfying(i -> assertThat(i.level())
                .isEqualTo(DisasterLevel.SERVICE_DISRUPTION));
        plan.signal(IncidentSignal.journalCorrupted("orders", "checksum mismatch again"));
        await().atMost(Duration.ofSeconds(20)).until(() -> plan.currentIncident().isEmpty());
        plan.signal(IncidentSignal.journalCorrupted("orders", "the same damage, reported late"));

        assertThat(started(RESTORE)).as("the restore ran once").isEqualTo(1);
        assertThat(plan.auditTrail()).extracting(PlanEvent::type)
                .contains(PlanEvent.Type.PROCEDURE_SUCCEEDED, PlanEvent.Type.INCIDENT_CLOSED)
                .doesNotContain(PlanEvent.Type.PROCEDURE_FAILED, PlanEvent.Type.LEVEL_ESCALATED);
        assertThat(manager.current()).as("the snapshot covers the damaged segment: nothing lost").isEqualTo(before);
        try (Stream<Path> quarantined = Files.list(journal.directory().resolve("quarantine"))) {
            assertThat(quarantined.map(p -> p.getFileName().toString()))
                    .anySatisfy(name -> assertThat(name).startsWith(victim.file().getFileName().toString()));
        }

        List<PlanEvent> trail = plan.auditTrail();
        plan.close();
        plan = null;
        auditJournal.close();
        auditJournal = openAudit();
        List<PlanEvent> durable = JournalAuditSink.read(auditJournal);
        assertThat(durable).as("every plan event, in order, after reopen").isEqualTo(trail);
        assertThat(durable).extracting(PlanEvent::sequence).isSorted();
        assertThat(durable.get(0).type()).isEqualTo(PlanEvent.Type.INCIDENT_OPENED);
        assertThat(durable).extracting(PlanEvent::type).containsSubsequence(PlanEvent.Type.PROCEDURE_STARTED,
                PlanEvent.Type.PROCEDURE_SUCCEEDED, PlanEvent.Type.INCIDENT_CLOSED);
    }

    @Test
    void aValidatorThatRejectsTheRestoredState_failsTheStepAndEscalates() {
        openData();
        auditJournal = openAudit();
        fill(50);
        plan = plan(s -> "orders must balance, they do not");

        plan.signal(IncidentSignal.journalCorrupted("orders", "checksum mismatch"));

        await().atMost(Duration.ofSeconds(20)).until(() -> plan.auditTrail().stream()
                .anyMatch(e -> e.type() == PlanEvent.Type.LEVEL_ESCALATED));
        assertThat(plan.auditTrail()).filteredOn(e -> RESTORE.equals(e.procedure())).extracting(PlanEvent::type)
                .contains(PlanEvent.Type.PROCEDURE_FAILED).doesNotContain(PlanEvent.Type.PROCEDURE_SUCCEEDED);
        assertThat(plan.currentIncident()).hasValueSatisfying(i -> assertThat(i.level())
                .isEqualTo(DisasterLevel.REGIONAL_DISASTER));
    }

    @Test
    void theRestoreIsIdempotent_runningItTwiceGivesTheSameState() throws Exception {
        openData();
        fill(120);
        manager.snapshot();
        fill(30);
        TreeMap<String, Long> live = new TreeMap<>(manager.current());
        RecoveryProcedure restore = RecoveryPlanProcedures.restoreFromLastGoodSnapshot(RESTORE, manager)
                .level(DisasterLevel.SERVICE_DISRUPTION).build();
        var ctx = new io.qudag.resilience.core.plan.RecoveryContext("p", "i-1", DisasterLevel.SERVICE_DISRUPTION,
                RecoveryPhase.SHORT_TERM, 1, List.of(), clock);
        restore.execute(ctx);
        assertThat(restore.validate(ctx)).isTrue();
        restore.execute(ctx);
        assertThat(restore.validate(ctx)).isTrue();
        assertThat(manager.current()).isEqualTo(live);
        assertThat(restore.phase()).isEqualTo(RecoveryPhase.SHORT_TERM);
        assertThat(restore.timeout()).as("the IMPORTANT data class's RTO").isEqualTo(manager.objectives().expectedRto());
        assertThat(restore.validate(new io.qudag.resilience.core.plan.RecoveryContext("p", "i-2",
                DisasterLevel.SERVICE_DISRUPTION, RecoveryPhase.SHORT_TERM, 1, List.of(), clock)))
                .as("no recovery ran for that attempt").isFalse();
    }

    @Test
    void corruptionFoundByTheScrubber_opensALevelTwoIncident_andTheRepairIsReported() throws IOException {
        auditJournal = openAudit();
        List<IncidentSignal> signals = new java.util.concurrent.CopyOnWriteArrayList<>();
        journal = Journal.open(JournalConfig.builder(dir.resolve("orders")).name("orders").clock(clock)
                .durability(Durability.SYNC).segmentSize(4096).build());
        plan = DisasterRecoveryPlan.builder().name("orders-plan").clock(clock).executor(planExecutor)
                .config(DisasterRecoveryPlanConfig.builder().build()).auditSink(JournalAuditSink.of(auditJournal)).build();
        manager = RecoveryManager.builder(journal, new Counters()).scrubOnSchedule(false)
                .listener(JournalPlanSignals.listener("orders", s -> {
                    signals.add(s);
                    plan.signal(s);
                })).build();
        fill(300);
        manager.snapshot();
        SegmentInfo victim = journal.segments().get(0);
        flip(victim.file(), victim.sizeBytes() / 2);

        assertThat(manager.scrub().intact()).isFalse();

        assertThat(signals).extracting(IncidentSignal::failing).containsExactly(true, false);
        assertThat(signals.get(0).kind()).isEqualTo(IncidentSignal.Kind.JOURNAL);
        assertThat(signals.get(0).detail()).contains("checksum").contains(victim.file().getFileName().toString());
        assertThat(plan.auditTrail()).extracting(PlanEvent::type).contains(PlanEvent.Type.INCIDENT_OPENED);
        assertThat(plan.auditTrail()).filteredOn(e -> e.type() == PlanEvent.Type.INCIDENT_OPENED)
                .extracting(PlanEvent::level).containsExactly(DisasterLevel.SERVICE_DISRUPTION);
        assertThatThrownBy(() -> JournalPlanSignals.listener(" ", s -> { }))
                .hasMessage("journal must not be blank, was \" \"");
    }

    @Test
    void badArguments_failNamingTheField() {
        assertThatThrownBy(() -> RecoveryPlanProcedures.restoreFromLastGoodSnapshot(RESTORE, null))
                .hasMessage("manager must not be null, was null");
        openData();
        assertThatThrownBy(() -> RecoveryPlanProcedures.restoreFromLastGoodSnapshot(RESTORE, manager,
                (StateValidator<TreeMap<String, Long>>) null)).hasMessage("validators[0] must not be null, was null");
        assertThatThrownBy(() -> JournalAuditSink.of(null)).hasMessage("journal must not be null, was null");
    }

    @Test
    void anEventWithoutIncidentOrProcedure_roundTrips() {
        PlanEvent e = new PlanEvent(PlanEvent.Type.MODE_CHANGED, "p", 7, null, null, null, OperatingMode.REDUCED, null, 0,
                "operator", Duration.ZERO, Instant.parse("2026-03-01T00:00:01.5Z"));
        assertThat(JournalAuditSink.decode(JournalAuditSink.encode(e))).isEqualTo(e);
    }
}
