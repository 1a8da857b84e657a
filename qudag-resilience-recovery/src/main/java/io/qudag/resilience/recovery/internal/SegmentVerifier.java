package io.qudag.resilience.recovery.internal;

import io.qudag.resilience.core.spi.FileChannelFactory;
import io.qudag.resilience.recovery.JournalFormatException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Checks every record of one segment file without changing it (the scrubber's and the tests' check). */
public final class SegmentVerifier {

    /**
     * What a check found.
     *
     * @param file       the segment
     * @param records    whole valid records before the first problem
     * @param lastSequence the sequence of the last valid record (base - 1 when none)
     * @param damageOffset the offset of the first damaged record, or -1 when none
     * @param problem    what is wrong there, or null
     */
    public record Result(Path file, long records, long lastSequence, long damageOffset, String problem) {
        public boolean intact() {
            return damageOffset < 0;
        }
    }

    private SegmentVerifier() {
    }

    /**
     * Verifies {@code file}. Records after {@code readableUpTo} (a sequence) are not looked at: pass the
     * journal's last sequence for the active segment, {@code Long.MAX_VALUE} for a sealed one.
     */
    public static Result verify(FileChannelFactory files, Path file, int maxRecordSize, long readableUpTo)
            throws IOException {
        try (FileChannel ch = FileSupport.openRead(files, file)) {
            long base;
            try {
                base = SegmentFormat.readHeader(ch, file);
            } catch (JournalFormatException e) {
                return new Result(file, 0, -1, e.offset(), e.getMessage());
            }
            if (base < 0) {
                return new Result(file, 0, -1, 0, "segment header missing");
            }
            SegmentScanner sc = new SegmentScanner(ch, SegmentFormat.HEADER_SIZE, ch.size(), base, maxRecordSize);
            long n = 0;
            long last = base - 1;
            while (last < readableUpTo) {
                SegmentScanner.Result r = sc.next();
                if (r == SegmentScanner.Result.RECORD) {
                    n++;
                    last = sc.sequence();
                } else if (r == SegmentScanner.Result.END) {
                    break;
                } else {
                    return new Result(file, n, last, sc.recordOffset(), sc.problem());
                }
            }
            return new Result(file, n, last, -1, null);
        }
    }
}
