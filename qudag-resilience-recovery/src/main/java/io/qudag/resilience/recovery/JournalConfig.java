package io.qudag.resilience.recovery;

import static io.qudag.resilience.recovery.internal.Checks.inRange;
import static io.qudag.resilience.recovery.internal.Checks.notNull;
import static io.qudag.resilience.recovery.internal.Checks.positive;

import io.micrometer.core.instrument.MeterRegistry;
import io.qudag.resilience.core.internal.Limits;
import io.qudag.resilience.core.spi.FileChannelFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.ThreadFactory;

/**
 * The settings of one {@link Journal} (spec §4.2 continuous data protection). Immutable; built by
 * {@link #builder(Path)}, which validates every value in {@link Builder#build()}.
 *
 * <p>Defaults: {@link Durability#GROUP_COMMIT}, segments of 64 MiB, group commit after 2 ms or 256
 * waiting appends, asynchronous flush every 1 s, records up to 16 MiB, every application record type
 * ({@value RecordTypes#FIRST_USER_TYPE}–{@value RecordTypes#LAST_USER_TYPE}) accepted, plain file
 * channels, the UTC system clock.
 */
public final class JournalConfig {

    /** The smallest segment size accepted: 4 KiB. */
    public static final long MIN_SEGMENT_SIZE = 4096;

    private final Path directory;
    private final String name;
    private final Durability durability;
    private final long segmentSize;
    private final Duration groupCommitMaxDelay;
    private final int groupCommitMaxBatch;
    private final Duration asyncFlushInterval;
    private final int maxRecordSize;
    private final BitSet recordTypes;
    private final FileChannelFactory fileChannelFactory;
    private final Clock clock;
    private final ThreadFactory threadFactory;
    private final MeterRegistry meterRegistry;

    private JournalConfig(Builder b) {
        this.directory = b.directory;
        this.name = b.name;
        this.durability = b.durability;
        this.segmentSize = b.segmentSize;
        this.groupCommitMaxDelay = b.groupCommitMaxDelay;
        this.groupCommitMaxBatch = b.groupCommitMaxBatch;
        this.asyncFlushInterval = b.asyncFlushInterval;
        this.maxRecordSize = b.maxRecordSize;
        this.recordTypes = (BitSet) b.recordTypes.clone();
        this.fileChannelFactory = b.fileChannelFactory;
        this.clock = b.clock;
        this.threadFactory = b.threadFactory;
        this.meterRegistry = b.meterRegistry;
    }

    /**
     * {@return a builder for a journal kept in {@code directory}}
     *
     * @param directory the journal's directory
     */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** {@return a builder that starts from this configuration} */
    public Builder toBuilder() {
        Builder b = new Builder(directory);
        b.name = name;
        b.durability = durability;
        b.segmentSize = segmentSize;
        b.groupCommitMaxDelay = groupCommitMaxDelay;
        b.groupCommitMaxBatch = groupCommitMaxBatch;
        b.asyncFlushInterval = asyncFlushInterval;
        b.maxRecordSize = maxRecordSize;
        b.recordTypes = (BitSet) recordTypes.clone();
        b.fileChannelFactory = fileChannelFactory;
        b.clock = clock;
        b.threadFactory = threadFactory;
        b.meterRegistry = meterRegistry;
        return b;
    }

    /** {@return the directory the journal lives in} */
    public Path directory() {
        return directory;
    }

    /** {@return the journal's name: the tag of its meters and the name of its flusher thread} */
    public String name() {
        return name;
    }

    /** {@return when an append is acknowledged relative to its {@code fsync}} */
    public Durability durability() {
        return durability;
    }

    /** {@return a segment is rolled before a record would make it larger than this (a bigger record gets a segment of its own)} */
    public long segmentSize() {
        return segmentSize;
    }

    /**
     * {@return how long, under {@link Durability#GROUP_COMMIT}, the first waiting record waits at most for its force}
     */
    public Duration groupCommitMaxDelay() {
        return groupCommitMaxDelay;
    }

    /** {@return how many waiting records, under {@link Durability#GROUP_COMMIT}, trigger a force at once} */
    public int groupCommitMaxBatch() {
        return groupCommitMaxBatch;
    }

    /** {@return how often, under {@link Durability#ASYNC}, the journal is forced, the recovery point objective for a machine crash} */
    public Duration asyncFlushInterval() {
        return asyncFlushInterval;
    }

    /** {@return the largest payload accepted, in bytes} */
    public int maxRecordSize() {
        return maxRecordSize;
    }

    /**
     * {@return whether records of {@code type} may be appended and read} Library types are always accepted.
     *
     * @param type the record type
     */
    public boolean acceptsType(int type) {
        return RecordTypes.isLibraryType(type) || (type >= 0 && type < 256 && recordTypes.get(type));
    }

    /** {@return how the journal opens its files} */
    public FileChannelFactory fileChannelFactory() {
        return fileChannelFactory;
    }

    /** {@return the clock that stamps the records} */
    public Clock clock() {
        return clock;
    }

    /** {@return the factory of the journal's flusher and completer threads} */
    public ThreadFactory threadFactory() {
        return threadFactory;
    }

    /** {@return where the journal's meters go, or {@code null} for none} */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /** Builds a {@link JournalConfig}; {@link #build()} validates. */
    public static final class Builder {
        private final Path directory;
        private String name = "journal";
        private Durability durability = Durability.GROUP_COMMIT;
        private long segmentSize = 64L << 20;
        private Duration groupCommitMaxDelay = Duration.ofMillis(2);
        private int groupCommitMaxBatch = 256;
        private Duration asyncFlushInterval = Duration.ofSeconds(1);
        private int maxRecordSize = 16 << 20;
        private BitSet recordTypes = allUserTypes();
        private FileChannelFactory fileChannelFactory = FileChannelFactory.standard();
        private Clock clock = Clock.systemUTC();
        private ThreadFactory threadFactory;
        private MeterRegistry meterRegistry;

        private Builder(Path directory) {
            this.directory = directory;
        }

        private static BitSet allUserTypes() {
            BitSet s = new BitSet(256);
            s.set(RecordTypes.FIRST_USER_TYPE, RecordTypes.LAST_USER_TYPE + 1);
            return s;
        }

        /**
         * The journal's name: the tag of its meters and the name of its threads. Default {@code journal}.
         *
         * @param name not blank
         * @return this builder
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * When an append is acknowledged relative to its {@code fsync}. Default GROUP_COMMIT.
         *
         * @param durability the policy
         * @return this builder
         */
        public Builder durability(Durability durability) {
            this.durability = durability;
            return this;
        }

        /**
         * The size at which a segment is rolled. Default 64 MiB, at least {@link #MIN_SEGMENT_SIZE}.
         *
         * @param bytes the size in bytes
         * @return this builder
         */
        public Builder segmentSize(long bytes) {
            this.segmentSize = bytes;
            return this;
        }

        /**
         * How long the first waiting record waits at most for its force under GROUP_COMMIT. Default 2 ms, at most 1 s.
         *
         * @param delay a positive duration
         * @return this builder
         */
        public Builder groupCommitMaxDelay(Duration delay) {
            this.groupCommitMaxDelay = delay;
            return this;
        }

        /**
         * How many waiting records trigger a force at once under GROUP_COMMIT. Default 256.
         *
         * @param appends the batch size, 1..2^20
         * @return this builder
         */
        public Builder groupCommitMaxBatch(int appends) {
            this.groupCommitMaxBatch = appends;
            return this;
        }

        /**
         * How often the journal is forced under ASYNC. Default 1 s.
         *
         * @param interval a positive duration
         * @return this builder
         */
        public Builder asyncFlushInterval(Duration interval) {
            this.asyncFlushInterval = interval;
            return this;
        }

        /**
         * The largest payload accepted. Default 16 MiB.
         *
         * @param bytes the size in bytes, 1..2^30
         * @return this builder
         */
        public Builder maxRecordSize(int bytes) {
            this.maxRecordSize = bytes;
            return this;
        }

        /**
         * The only application record types this journal accepts; a record of another type found
         * on disk fails with a {@link JournalFormatException} naming file and offset.
         *
         * @param types user record types (see {@link RecordTypes})
         * @return this builder
         * @throws IllegalArgumentException naming the value when a type is not a user type
         */
        public Builder recordTypes(int... types) {
            BitSet s = new BitSet(256);
            for (int t : types) {
                if (!RecordTypes.isUserType(t)) {
                    throw new IllegalArgumentException("recordTypes must be in [" + RecordTypes.FIRST_USER_TYPE + ", "
                            + RecordTypes.LAST_USER_TYPE + "], was " + t);
                }
                s.set(t);
            }
            this.recordTypes = s;
            return this;
        }

        /**
         * How the journal opens its files (tests inject faults here). Default {@link FileChannelFactory#standard()}.
         *
         * @param factory the factory
         * @return this builder
         */
        public Builder fileChannelFactory(FileChannelFactory factory) {
            this.fileChannelFactory = factory;
            return this;
        }

        /**
         * The clock that stamps the records. Default the system clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * The factory of the journal's threads: the flusher (GROUP_COMMIT, ASYNC) and, from the first
         * {@link Journal#appendAsync(int, byte[])} under GROUP_COMMIT, the completer that completes its
         * futures (default: daemon threads named {@code qudag-journal-flusher-<name>} and
         * {@code qudag-journal-completer-<name>}).
         *
         * @param threadFactory the factory
         * @return this builder
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = threadFactory;
            return this;
        }

        /**
         * Where the journal's meters go; none without one.
         *
         * @param registry the registry, or {@code null}
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the field and value when one is missing or out of range
         */
        public JournalConfig build() {
            notNull("directory", directory);
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, was " + (name == null ? "null" : "'" + name + "'"));
            }
            notNull("durability", durability);
            inRange("segmentSize", segmentSize, MIN_SEGMENT_SIZE, 1L << 40);
            Limits.atMostMaxDuration("groupCommitMaxDelay", positive("groupCommitMaxDelay", groupCommitMaxDelay));
            if (groupCommitMaxDelay.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("groupCommitMaxDelay must be at most PT1S, was " + groupCommitMaxDelay);
            }
            inRange("groupCommitMaxBatch", groupCommitMaxBatch, 1, 1 << 20);
            Limits.atMostMaxDuration("asyncFlushInterval", positive("asyncFlushInterval", asyncFlushInterval));
            inRange("maxRecordSize", maxRecordSize, 1, 1 << 30);
            if (recordTypes.isEmpty()) {
                throw new IllegalArgumentException("recordTypes must name at least one type, was []");
            }
            notNull("fileChannelFactory", fileChannelFactory);
            notNull("clock", clock);
            if (threadFactory == null) {
                String n = name;
                threadFactory = r -> {
                    // the journal's runnables name their role: "flusher" or "completer"
                    Thread t = new Thread(r, "qudag-journal-" + r + "-" + n);
                    t.setDaemon(true);
                    return t;
                };
            }
            return new JournalConfig(this);
        }
    }
}
