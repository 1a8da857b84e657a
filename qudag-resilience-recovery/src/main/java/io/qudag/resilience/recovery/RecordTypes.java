package io.qudag.resilience.recovery;

/**
 * The record type codes of the {@link Journal} format (spec §4.2). Types {@value #FIRST_USER_TYPE}
 * to {@value #LAST_USER_TYPE} belong to the application; the codes above are reserved for records the
 * library writes itself, and 0 is never valid.
 */
public final class RecordTypes {

    /** The lowest type an application may use. */
    public static final int FIRST_USER_TYPE = 1;
    /** The highest type an application may use. */
    public static final int LAST_USER_TYPE = 0xEF;
    /** An idempotency intent: a key whose operation started ({@code IdempotencyStore}). */
    public static final int IDEMPOTENCY_INTENT = 0xF1;
    /** An idempotency result: the recorded outcome of a key's operation. */
    public static final int IDEMPOTENCY_RESULT = 0xF2;
    /**
     * An idempotency commit: the recorded outcome of a transactional key's operation together with
     * the effect it commits ({@code IdempotencyStore.commit}), in one record.
     */
    public static final int IDEMPOTENCY_COMMIT = 0xF5;
    /** A recovery audit record (JSON): one step of an automatic recovery. */
    public static final int RECOVERY_AUDIT = 0xF3;
    /** A disaster-recovery plan audit record (JSON): one event of an incident ({@code JournalAuditSink}). */
    public static final int PLAN_AUDIT = 0xF4;

    private RecordTypes() {
    }

    /**
     * {@return whether {@code type} is an application type}
     *
     * @param type the record type
     */
    public static boolean isUserType(int type) {
        return type >= FIRST_USER_TYPE && type <= LAST_USER_TYPE;
    }

    /**
     * {@return whether {@code type} is a type the library itself writes}
     *
     * @param type the record type
     */
    public static boolean isLibraryType(int type) {
        return type == IDEMPOTENCY_INTENT || type == IDEMPOTENCY_RESULT || type == RECOVERY_AUDIT
                || type == PLAN_AUDIT || type == IDEMPOTENCY_COMMIT;
    }
}
