package io.qudag.resilience.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qudag.resilience.core.spi.FileChannelFactory;
import io.qudag.resilience.recovery.internal.FileSupport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Backups of a journal and its snapshots to another directory (spec §4.1: backup frequency per
 * data class, incremental backup restoration, checksum verification): {@link #full} copies every
 * segment and snapshot; {@link #incremental} copies only files that are new or changed since an
 * earlier backup and refers to that backup for the rest. Each backup has a {@code manifest.json}
 * with the CRC32C of every file. {@link #restore} rebuilds a journal directory from a backup chain
 * and {@link #verify} proves a backup restores. Files are read and written through the
 * {@link FileChannelFactory}, created 0600 where POSIX permissions exist.
 */
public final class JournalBackups {

    /** The name of the manifest in every backup directory. */
    public static final String MANIFEST = "manifest.json";
    private static final String SNAPSHOTS = "snapshots";

    private final Journal journal;
    private final SnapshotStore snapshots;
    private final FileChannelFactory files;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();

    private JournalBackups(Journal journal, SnapshotStore snapshots, Clock clock) {
        this.journal = journal;
        this.snapshots = snapshots;
        this.files = journal.config().fileChannelFactory();
        this.clock = clock;
    }

    /**
     * Backups of {@code journal} and the snapshots in {@code snapshots} (may be {@code null}).
     *
     * @param journal   the open journal
     * @param snapshots its snapshot store, or {@code null}
     * @return the backups
     * @throws IllegalArgumentException when {@code journal} is null
     */
    public static JournalBackups of(Journal journal, SnapshotStore snapshots) {
        if (journal == null) {
            throw new IllegalArgumentException("journal must not be null, was null");
        }
        return new JournalBackups(journal, snapshots, journal.config().clock());
    }

    /**
     * Copies every segment and snapshot into {@code target} (which must not exist or be empty).
     *
     * @param target the backup directory
     * @return the new backup's manifest
     */
    public BackupManifest full(Path target) {
        return take(target, null);
    }

    /**
     * Copies what changed since {@code previous} (a full or incremental backup) into {@code target}.
     *
     * @param target   the backup directory
     * @param previous the directory of the backup this one builds on
     * @return the new backup's manifest
     */
    public BackupManifest incremental(Path target, Path previous) {
        return take(target, readManifest(previous));
    }

    private BackupManifest take(Path target, BackupManifest previous) {
        prepareEmpty(target, "target");
        Map<String, BackupManifest.BackupFile> before = new HashMap<>();
        if (previous != null) {
            previous.files().forEach(f -> before.put(key(f.snapshot(), f.name()), f));
        }
        journal.flush();
        long last = journal.lastSequence();
        List<BackupManifest.BackupFile> out = new ArrayList<>();
        try {
            List<Path> sources = new ArrayList<>();
            journal.segments().forEach(s -> sources.add(s.file()));
            int segmentCount = sources.size();
            if (snapshots != null) {
                snapshots.list().forEach(s -> sources.add(s.file()));
                Files.createDirectories(target.resolve(SNAPSHOTS));
            }
            for (int i = 0; i < sources.size(); i++) {
                Path src = sources.get(i);
                boolean snap = i >= segmentCount;
                String name = src.getFileName().toString();
                byte[] bytes = readAll(src);
                long crc = crc(bytes);
                BackupManifest.BackupFile old = before.get(key(snap, name));
                if (old != null && old.size() == bytes.length && old.crc32c() == crc) {
                    out.add(old);
                    continue;
                }
                write(target.resolve(snap ? SNAPSHOTS + "/" + name : name), bytes);
                out.add(new BackupManifest.BackupFile(name, snap, bytes.length, crc, target.toAbsolutePath()));
            }
        } catch (IOException e) {
            throw new JournalException("backup of journal " + journal.directory() + " to " + target + " failed (" + e + ")", e);
        }
        BackupManifest m = new BackupManifest(target.toAbsolutePath(), previous == null ? BackupManifest.Kind.FULL
                : BackupManifest.Kind.INCREMENTAL, clock.instant(), previous == null ? null : previous.directory(), last, out);
        writeManifest(m);
        return m;
    }

    private static String key(boolean snapshot, String name) {
        return (snapshot ? "s/" : "j/") + name;
    }

    /**
     * Restores the backup in {@code backup} (following incremental backups back to their full one)
     * into {@code journalDirectory}, which must not exist or be empty; snapshots go to its
     * {@code snapshots} directory. Every file's checksum is checked first.
     *
     * @param backup           the backup directory
     * @param journalDirectory where the journal is restored
     * @param files            how files are opened (see {@link JournalConfig#fileChannelFactory()})
     * @throws JournalCorruptedException naming the file whose checksum does not hold
     */
    public static void restore(Path backup, Path journalDirectory, FileChannelFactory files) {
        JournalBackups io = new JournalBackups(null, null, Clock.systemUTC(), files);
        BackupManifest m = io.readManifest(backup);
        prepareEmpty(journalDirectory, "journalDirectory");
        try {
            Files.createDirectories(journalDirectory.resolve(SNAPSHOTS));
            for (BackupManifest.BackupFile f : m.files()) {
                byte[] bytes = io.checkedBytes(f);
                io.write(journalDirectory.resolve(f.snapshot() ? SNAPSHOTS + "/" + f.name() : f.name()), bytes);
            }
            FileSupport.fsyncDirectory(files, journalDirectory);
        } catch (IOException e) {
            throw new JournalException("restore of " + backup + " into " + journalDirectory + " failed (" + e + ")", e);
        }
    }

    /**
     * Proves that {@code backup} restores: checks every checksum, restores into a scratch directory
     * under {@code scratch}, opens the journal there and reads every record. Never throws for a bad
     * backup: the problems are in the result.
     *
     * @param backup  the backup directory
     * @param scratch where the scratch restore goes
     * @param files   how files are opened (see {@link JournalConfig#fileChannelFactory()})
     * @return what was checked and what failed
     */
    public static BackupVerification verify(Path backup, Path scratch, FileChannelFactory files) {
        List<String> problems = new ArrayList<>();
        JournalBackups io = new JournalBackups(null, null, Clock.systemUTC(), files);
        BackupManifest m;
        try {
            m = io.readManifest(backup);
        } catch (RuntimeException e) {
            return new BackupVerification(false, 0, 0, 0, List.of(e.getMessage()));
        }
        int checked = 0;
        for (BackupManifest.BackupFile f : m.files()) {
            try {
                io.checkedBytes(f);
                checked++;
            } catch (IOException | RuntimeException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            return new BackupVerification(false, checked, 0, 0, problems);
        }
        Path dir = scratch.resolve("verify-" + Long.toHexString(System.nanoTime()));
        long records = 0;
        long last = 0;
        try {
            restore(backup, dir, files);
            try (Journal j = Journal.open(JournalConfig.builder(dir).fileChannelFactory(files).name("backup-verify").build());
                 JournalReader r = j.read(1)) {
                while (r.hasNext()) {
                    last = r.next().sequence();
                    records++;
                }
                if (j.lastSequence() < m.lastSequence()) {
                    problems.add("restored journal ends at " + j.lastSequence() + ", backup promised " + m.lastSequence());
                }
            }
        } catch (RuntimeException e) {
            problems.add(e.getMessage());
        } finally {
            deleteTree(dir);
        }
        return new BackupVerification(problems.isEmpty(), checked, records, last, problems);
    }

    private JournalBackups(Journal journal, SnapshotStore snapshots, Clock clock, FileChannelFactory files) {
        this.journal = journal;
        this.snapshots = snapshots;
        this.files = files;
        this.clock = clock;
    }

    private byte[] checkedBytes(BackupManifest.BackupFile f) throws IOException {
        Path p = f.storedIn().resolve(f.snapshot() ? SNAPSHOTS + "/" + f.name() : f.name());
        if (!Files.exists(p)) {
            throw new JournalException("backup file " + p + " is missing");
        }
        byte[] bytes = readAll(p);
        if (bytes.length != f.size() || crc(bytes) != f.crc32c()) {
            throw new JournalCorruptedException(p, 0, "backup checksum mismatch (size " + bytes.length + ", expected "
                    + f.size() + ")");
        }
        return bytes;
    }

    private static void prepareEmpty(Path dir, String field) {
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    if (s.findAny().isPresent()) {
                        throw new IllegalArgumentException(field + " must be an empty or new directory, was " + dir);
                    }
                }
            }
            FileSupport.createDirectories(dir);
        } catch (IOException e) {
            throw new JournalException(field + " " + dir + " cannot be created (" + e + ")", e);
        }
    }

    private byte[] readAll(Path p) throws IOException {
        try (FileChannel ch = FileSupport.openRead(files, p)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new IOException(p + " is larger than 2 GiB");
            }
            ByteBuffer b = ByteBuffer.allocate((int) size);
            FileSupport.readFully(ch, b, 0);
            return b.array();
        }
    }

    private void write(Path p, byte[] bytes) throws IOException {
        Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try (FileChannel ch = FileSupport.createNew(files, tmp)) {
            FileSupport.writeFully(ch, ByteBuffer.wrap(bytes), 0);
            ch.force(true);
        }
        Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE);
        FileSupport.fsyncDirectory(files, p.getParent());
    }

    private static long crc(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        return c.getValue();
    }

    private void writeManifest(BackupManifest m) {
        ObjectNode n = mapper.createObjectNode();
        n.put("kind", m.kind().name());
        n.put("createdAt", m.createdAt().toString());
        n.put("parent", m.parent() == null ? null : m.parent().toString());
        n.put("lastSequence", m.lastSequence());
        ArrayNode arr = n.putArray("files");
        for (BackupManifest.BackupFile f : m.files()) {
            arr.addObject().put("name", f.name()).put("snapshot", f.snapshot()).put("size", f.size())
                    .put("crc32c", f.crc32c()).put("storedIn", f.storedIn().toString());
        }
        try {
            write(m.directory().resolve(MANIFEST), mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
        } catch (IOException e) {
            throw new JournalException("writing " + m.directory().resolve(MANIFEST) + " failed (" + e + ")", e);
        }
    }

    /**
     * Reads the manifest of the backup in {@code backup}.
     *
     * @param backup the backup directory
     * @return its manifest
     */
    public BackupManifest readManifest(Path backup) {
        Path p = backup.resolve(MANIFEST);
        try {
            JsonNode n = mapper.readTree(new String(readAll(p), StandardCharsets.UTF_8));
            List<BackupManifest.BackupFile> fs = new ArrayList<>();
            for (JsonNode f : n.get("files")) {
                fs.add(new BackupManifest.BackupFile(f.get("name").asText(), f.get("snapshot").asBoolean(),
                        f.get("size").asLong(), f.get("crc32c").asLong(), Path.of(f.get("storedIn").asText())));
            }
            JsonNode parent = n.get("parent");
            return new BackupManifest(backup.toAbsolutePath(), BackupManifest.Kind.valueOf(n.get("kind").asText()),
                    Instant.parse(n.get("createdAt").asText()), parent == null || parent.isNull() ? null
                    : Path.of(parent.asText()), n.get("lastSequence").asLong(), fs);
        } catch (IOException | RuntimeException e) {
            throw new JournalException("backup manifest " + p + " cannot be read (" + e + ")", e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // scratch space: left for the caller's cleanup
        }
    }
}
