package io.qudag.resilience.recovery.internal;

import io.qudag.resilience.recovery.JournalCorruptedException;
import io.qudag.resilience.recovery.JournalException;
import io.qudag.resilience.recovery.JournalFormatException;
import io.qudag.resilience.recovery.JournalReader;
import io.qudag.resilience.recovery.JournalRecord;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.NoSuchElementException;

/** A {@link JournalReader} over the segment files of a {@link SegmentedJournal}, with its own channels. */
final class SegmentedReader implements JournalReader {

    private final SegmentedJournal journal;
    private long nextSeq;
    private long segBase = -1;
    private Path segPath;
    private FileChannel channel;
    private SegmentScanner scanner;
    private JournalRecord pending;
    private boolean closed;

    SegmentedReader(SegmentedJournal journal, long fromSequence) {
        this.journal = journal;
        this.nextSeq = Math.max(1, fromSequence);
    }

    @Override
    public boolean hasNext() {
        if (pending != null) {
            return true;
        }
        if (closed) {
            return false;
        }
        try {
            return advance();
        } catch (IOException e) {
            throw new JournalException("reading journal " + journal.directory() + " failed at " + segPath + " (" + e + ")", e);
        }
    }

    private boolean advance() throws IOException {
        boolean refreshed = false;
        while (true) {
            long last = journal.lastSequence();
            if (nextSeq > last) {
                return false;
            }
            if (scanner == null && !openSegment(journal.segmentFor(nextSeq))) {
                return false;
            }
            SegmentScanner.Result r = scanner.next();
            if (r == SegmentScanner.Result.RECORD) {
                refreshed = false;
                if (scanner.sequence() < nextSeq) {
                    continue;
                }
                if (!journal.config().acceptsType(scanner.type())) {
                    throw new JournalFormatException(segPath, scanner.recordOffset(), "unknown record type " + scanner.type());
                }
                pending = JournalRecord.wrap(scanner.sequence(), scanner.timestamp(), scanner.type(), scanner.payload());
                nextSeq = scanner.sequence() + 1;
                return true;
            }
            // the file may have grown since the scanner last looked (the active segment)
            if (!refreshed) {
                refreshed = true;
                journal.drainForReaders();
                scanner.limit(channel.size());
                scanner.discardBuffer();
                continue;
            }
            Map.Entry<Long, Path> after = journal.segmentAfter(segBase);
            if (r == SegmentScanner.Result.END || (r == SegmentScanner.Result.INCOMPLETE && after == null
                    && scanner.expectedSequence() > journal.writtenSequence())) {
                if (after == null) {
                    return false;
                }
                closeSegment();
                if (!openSegment(after)) {
                    return false;
                }
                if (segBase > nextSeq) {
                    nextSeq = segBase; // a quarantined segment left a gap
                }
                refreshed = false;
                continue;
            }
            throw new JournalCorruptedException(segPath, scanner.recordOffset(), scanner.problem());
        }
    }

    private boolean openSegment(Map.Entry<Long, Path> e) throws IOException {
        while (e != null) {
            try {
                channel = FileSupport.openRead(journal.files(), e.getValue());
            } catch (NoSuchFileException gone) {
                // compacted or quarantined meanwhile
                e = journal.segmentAfter(e.getKey());
                continue;
            }
            segBase = e.getKey();
            segPath = e.getValue();
            long base = SegmentFormat.readHeader(channel, segPath);
            if (base != segBase) {
                throw new JournalFormatException(segPath, 8, "segment header says base sequence " + base
                        + " but the file name says " + segBase);
            }
            scanner = new SegmentScanner(channel, SegmentFormat.HEADER_SIZE, channel.size(), segBase,
                    journal.config().maxRecordSize());
            if (segBase > nextSeq) {
                nextSeq = segBase;
            }
            return true;
        }
        return false;
    }

    private void closeSegment() {
        SegmentedJournal.closeQuietly(channel);
        channel = null;
        scanner = null;
    }

    @Override
    public JournalRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no record at sequence " + nextSeq + " yet");
        }
        JournalRecord r = pending;
        pending = null;
        return r;
    }

    @Override
    public void close() {
        closed = true;
        closeSegment();
    }
}
