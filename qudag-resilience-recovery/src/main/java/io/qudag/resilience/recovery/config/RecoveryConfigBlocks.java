package io.qudag.resilience.recovery.config;

import static java.util.Map.entry;

import io.qudag.resilience.core.config.ConfigBlock;
import io.qudag.resilience.core.config.ConfigNode;
import io.qudag.resilience.recovery.DataClass;
import io.qudag.resilience.recovery.Durability;
import io.qudag.resilience.recovery.JournalConfig;
import io.qudag.resilience.recovery.RecoveryPolicy;
import io.qudag.resilience.recovery.RecoveryTier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The configuration-file blocks of the recovery module (spec §4.1 data classification and recovery
 * tiers, §4.2 journal), read by {@link io.qudag.resilience.core.config.ConfigFile}. Keys are the builders'
 * options in snake_case; a data class not named keeps its default, a key not given keeps the class's
 * default.
 *
 * <pre>{@code
 * data_recovery_framework:
 *   critical: { tier: hot, durability: sync, snapshot_interval: "30s" }
 *   standard: { durability: group_commit, snapshot_interval: "10m" }
 * journal:
 *   directory: "/var/lib/myservice/journal"
 *   durability: group_commit
 *   segment_size: 67108864
 *   group_commit_max_delay: "2ms"
 *   group_commit_max_batch: 512
 * }</pre>
 */
public final class RecoveryConfigBlocks {

    /** {@code data_recovery_framework}: a {@link RecoveryPolicy} (tier, durability, snapshot interval per data class). */
    public static final ConfigBlock<RecoveryPolicy> DATA_RECOVERY_FRAMEWORK =
            ConfigBlock.of("data_recovery_framework", RecoveryConfigBlocks::policy);

    /** {@code journal}: a {@link JournalConfig}; {@code directory} is required. */
    public static final ConfigBlock<JournalConfig> JOURNAL = ConfigBlock.of("journal", RecoveryConfigBlocks::journal);

    private RecoveryConfigBlocks() {
    }

    private static RecoveryPolicy policy(ConfigNode node) {
        RecoveryPolicy.Builder b = RecoveryPolicy.builder();
        for (ConfigNode classNode : node.children()) {
            DataClass dataClass = ConfigNode.of(classNode.path(), classNode.key()).asEnum(DataClass.class);
            RecoveryPolicy.ClassPolicy d = RecoveryPolicy.defaults().policyFor(dataClass);
            RecoveryTier[] tier = {d.tier()};
            Durability[] durability = {d.durability()};
            Duration[] snapshot = {d.snapshotInterval()};
            classNode.bind(Map.of(
                    "tier", v -> tier[0] = v.asEnum(RecoveryTier.class),
                    "durability", v -> durability[0] = v.asEnum(Durability.class),
                    "snapshot_interval", v -> snapshot[0] = v.asDuration()));
            b.policy(dataClass, tier[0], durability[0], snapshot[0]);
            // validated class by class, so an error names the class's key
            classNode.build(() -> RecoveryPolicy.builder().policy(dataClass, tier[0], durability[0], snapshot[0]).build());
        }
        return node.build(b::build);
    }

    private static JournalConfig journal(ConfigNode node) {
        Map<String, Object> fields = node.fields();
        if (!fields.containsKey("directory")) {
            throw new io.qudag.resilience.core.config.ConfigException(node.path() + ".directory",
                    "missing, the journal needs a directory");
        }
        JournalConfig.Builder b = JournalConfig.builder(Path.of(
                ConfigNode.of(node.path() + ".directory", fields.get("directory")).asString()));
        node.bind(Map.ofEntries(
                entry("directory", v -> { }),
                entry("name", v -> b.name(v.asString())),
                entry("durability", v -> b.durability(v.asEnum(Durability.class))),
                entry("segment_size", v -> b.segmentSize(wholeNumber(v))),
                entry("group_commit_max_delay", v -> b.groupCommitMaxDelay(v.asDuration())),
                entry("group_commit_max_batch", v -> b.groupCommitMaxBatch(v.asInt())),
                entry("async_flush_interval", v -> b.asyncFlushInterval(v.asDuration())),
                entry("max_record_size", v -> b.maxRecordSize(v.asInt()))));
        return node.build(b::build);
    }

    private static long wholeNumber(ConfigNode v) {
        double d = v.asDouble();
        if (d != Math.rint(d) || Math.abs(d) > (double) Long.MAX_VALUE) {
            throw new io.qudag.resilience.core.config.ConfigException(v.path(), "was " + v.written()
                    + ", must be a whole number of bytes");
        }
        return (long) d;
    }
}
