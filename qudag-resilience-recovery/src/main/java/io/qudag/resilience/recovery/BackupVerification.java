package io.qudag.resilience.recovery;

import java.util.List;

/**
 * The proof that a backup restores (spec §4.1 validation_and_verification): every file's checksum
 * was checked, the backup was restored into a scratch directory, the journal there was opened and
 * every record read.
 *
 * @param restorable   whether all of that worked
 * @param filesChecked files whose checksum was checked
 * @param records      records read back from the restored journal
 * @param lastSequence the newest record there
 * @param problems     what failed (empty when restorable)
 */
public record BackupVerification(boolean restorable, int filesChecked, long records, long lastSequence,
        List<String> problems) {
    /**
     * Copies {@code problems} into an immutable list.
     *
     * @param restorable   whether all of that worked
     * @param filesChecked files whose checksum was checked
     * @param records      records read back from the restored journal
     * @param lastSequence the newest record there
     * @param problems     what failed (empty when restorable)
     */
    public BackupVerification {
        problems = List.copyOf(problems);
    }
}
