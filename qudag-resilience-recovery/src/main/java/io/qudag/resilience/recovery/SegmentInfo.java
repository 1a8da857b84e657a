package io.qudag.resilience.recovery;

import java.nio.file.Path;

/**
 * One segment file of a {@link Journal} (spec §4.2).
 *
 * @param file         where it is
 * @param baseSequence the sequence of its first record
 * @param sizeBytes    its size when listed
 * @param active       whether appends still go to it
 */
public record SegmentInfo(Path file, long baseSequence, long sizeBytes, boolean active) {
}
