package io.qudag.resilience.chaos;

/** How a JSON payload is damaged (spec §5.1 {@code payload_manipulation}). */
public enum CorruptionMode {
    /** One field of an object disappears. */
    DROP_FIELD,
    /** One value changes its JSON type (a number becomes a string, a string a number, …). */
    CHANGE_TYPE,
    /** The text is cut short (no longer valid JSON); in a tree, a string or array is cut in half. */
    TRUNCATE
}
