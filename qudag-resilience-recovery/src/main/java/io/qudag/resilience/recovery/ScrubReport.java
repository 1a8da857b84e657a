package io.qudag.resilience.recovery;

import java.nio.file.Path;
import java.util.List;

/**
 * What one integrity check of the journal found and did (spec §4.1 integrity checks every 1 m).
 *
 * @param segmentsChecked segments whose every record was checked
 * @param recordsChecked  records whose checksum held
 * @param quarantined     where damaged segments were moved (empty when all were intact)
 * @param recovered       whether the state was rebuilt and resumed after damage
 * @param lostRecords     records lost with the quarantined segments and not covered by a snapshot
 */
public record ScrubReport(int segmentsChecked, long recordsChecked, List<Path> quarantined, boolean recovered,
        long lostRecords) {
    /**
     * Copies {@code quarantined} into an immutable list.
     *
     * @param segmentsChecked segments whose every record was checked
     * @param recordsChecked  records whose checksum held
     * @param quarantined     where damaged segments were moved (empty when all were intact)
     * @param recovered       whether the state was rebuilt and resumed after damage
     * @param lostRecords     records lost with the quarantined segments and not covered by a snapshot
     */
    public ScrubReport {
        quarantined = List.copyOf(quarantined);
    }

    /** {@return whether every segment was intact (nothing was quarantined)} */
    public boolean intact() {
        return quarantined.isEmpty();
    }
}
