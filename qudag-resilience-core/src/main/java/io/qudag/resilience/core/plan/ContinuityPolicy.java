package io.qudag.resilience.core.plan;

import io.qudag.resilience.core.plan.internal.DefaultContinuityPolicy;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Business continuity (spec §4.3): which tools are served in the current {@link OperatingMode}.
 * Each tool has a {@link ToolCriticality}; each mode serves a set of criticalities (CRITICAL always).
 * The mode follows the disaster level of the open incident, unless an operator has set one.
 *
 * <p>Server decorators ask {@link #isServed(String)} before running a tool and answer a refused one
 * with {@link #unavailableMessage(String)} as a tool error; clients may ask it to route critical tools
 * first. {@link #isServed(String)} reads one volatile field and two maps and allocates nothing.
 *
 * <p>Defaults: tools not named are {@link ToolCriticality#STANDARD}; FULL serves all, REDUCED serves
 * CRITICAL and IMPORTANT, EMERGENCY serves CRITICAL; no incident and level 1 run FULL, levels 2 and 3
 * REDUCED, level 4 EMERGENCY.
 */
public interface ContinuityPolicy {

    /** {@return a builder with the defaults above} */
    static Builder builder() {
        return new Builder();
    }

    /** {@return the mode in force: the operator's, else the one the level maps to} */
    OperatingMode mode();

    /** {@return the mode an operator set, if any} */
    Optional<OperatingMode> operatorMode();

    /**
     * {@return the criticality of {@code tool} (the default criticality for tools not named)}
     *
     * @param tool the tool's name as the server lists it
     */
    ToolCriticality criticality(String tool);

    /**
     * {@return whether {@code tool} is served in the current mode}
     *
     * @param tool the tool's name as the server lists it
     */
    boolean isServed(String tool);

    /**
     * {@return whether {@code tool} is served in {@code mode}}
     *
     * @param tool the tool's name as the server lists it
     * @param mode the operating mode to ask about
     */
    boolean isServed(String tool, OperatingMode mode);

    /**
     * {@return the criticalities {@code mode} serves (unmodifiable)}
     *
     * @param mode the operating mode
     */
    Set<ToolCriticality> served(OperatingMode mode);

    /**
     * The text of the tool error a refused tool is answered with, e.g. {@code Tool 'summarize' is
     * temporarily unavailable: the service runs in REDUCED mode and serves only CRITICAL, IMPORTANT
     * tools.}
     *
     * @param tool the tool's name as the server lists it
     * @return the message, naming the tool, the mode and the criticalities served
     */
    String unavailableMessage(String tool);

    /**
     * Orders tool names critical first (then important, standard, optional): a client with a queue of
     * calls sends the ones that matter first while capacity is short.
     *
     * @return a comparator of tool names by criticality, most critical first
     */
    default java.util.Comparator<String> criticalFirst() {
        return java.util.Comparator.comparing(this::criticality);
    }

    /**
     * Makes the mode follow {@code level} ({@code null}: no incident). Called by the plan.
     *
     * @param level the open incident's level, or {@code null} when none is open
     */
    void followLevel(DisasterLevel level);

    /**
     * An operator sets the mode; it stays until {@link #clearOperatorMode()}.
     *
     * @param mode the mode to run in; non-null
     */
    void setOperatorMode(OperatingMode mode);

    /** Hands the mode back to the level. */
    void clearOperatorMode();

    /**
     * Called on every change of {@link #mode()}, on the thread that made it.
     *
     * @param listener the listener; non-null
     */
    void addModeListener(ModeListener listener);

    /** Receives mode changes. Must not throw (exceptions are logged and swallowed). */
    @FunctionalInterface
    interface ModeListener {
        /**
         * Called after the mode changed.
         *
         * @param from the mode before
         * @param to the mode now in force
         * @param reason why, in words (the incident level or the operator)
         */
        void onModeChange(OperatingMode from, OperatingMode to, String reason);
    }

    /** Builds a {@link ContinuityPolicy}; validates in {@link #build()}. */
    final class Builder {
        private final Map<String, ToolCriticality> tools = new HashMap<>();
        private ToolCriticality defaultCriticality = ToolCriticality.STANDARD;
        private final Map<OperatingMode, Set<ToolCriticality>> served = new EnumMap<>(OperatingMode.class);
        private final Map<DisasterLevel, OperatingMode> levelModes = new EnumMap<>(DisasterLevel.class);
        private OperatingMode normalMode = OperatingMode.FULL;

        private Builder() {
            served.put(OperatingMode.FULL, EnumSet.allOf(ToolCriticality.class));
            served.put(OperatingMode.REDUCED, EnumSet.of(ToolCriticality.CRITICAL, ToolCriticality.IMPORTANT));
            served.put(OperatingMode.EMERGENCY, EnumSet.of(ToolCriticality.CRITICAL));
            levelModes.put(DisasterLevel.COMPONENT_FAILURE, OperatingMode.FULL);
            levelModes.put(DisasterLevel.SERVICE_DISRUPTION, OperatingMode.REDUCED);
            levelModes.put(DisasterLevel.REGIONAL_DISASTER, OperatingMode.REDUCED);
            levelModes.put(DisasterLevel.GLOBAL_CATASTROPHE, OperatingMode.EMERGENCY);
        }

        /**
         * The criticality of one tool.
         *
         * @param name the tool's name; not blank
         * @param criticality its criticality; non-null
         * @return this builder
         */
        public Builder tool(String name, ToolCriticality criticality) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("tool name must not be blank, was " + (name == null ? "null" : '"' + name + '"'));
            }
            if (criticality == null) {
                throw new IllegalArgumentException("criticality of tool " + name + " must not be null, was null");
            }
            tools.put(name, criticality);
            return this;
        }

        /**
         * The criticality of tools not named; default STANDARD.
         *
         * @param criticality non-null
         * @return this builder
         */
        public Builder defaultCriticality(ToolCriticality criticality) { this.defaultCriticality = criticality; return this; }

        /**
         * The criticalities {@code mode} serves; must include CRITICAL.
         *
         * @param mode the operating mode; non-null
         * @param criticalities the criticalities it serves; must include CRITICAL, and a more degraded mode may not serve more
         * @return this builder
         */
        public Builder served(OperatingMode mode, ToolCriticality... criticalities) {
            if (mode == null) {
                throw new IllegalArgumentException("mode must not be null, was null");
            }
            EnumSet<ToolCriticality> s = EnumSet.noneOf(ToolCriticality.class);
            for (ToolCriticality c : criticalities) {
                if (c == null) {
                    throw new IllegalArgumentException("served[" + mode + "] must not contain null");
                }
                s.add(c);
            }
            served.put(mode, s);
            return this;
        }

        /**
         * The mode an incident of {@code level} puts the service in.
         *
         * @param level the disaster level; non-null
         * @param mode the mode it puts the service in; non-null
         * @return this builder
         */
        public Builder levelMode(DisasterLevel level, OperatingMode mode) {
            if (level == null || mode == null) {
                throw new IllegalArgumentException("levelMode needs a level and a mode, was " + level + " -> " + mode);
            }
            levelModes.put(level, mode);
            return this;
        }

        /**
         * The mode without an incident; default FULL.
         *
         * @param mode non-null
         * @return this builder
         */
        public Builder normalMode(OperatingMode mode) { this.normalMode = mode; return this; }

        /**
         * Validates the settings and builds.
         *
         * @return the policy, running {@code normalMode}
         * @throws IllegalArgumentException naming the field and the value when a setting is invalid
         */
        public ContinuityPolicy build() {
            if (defaultCriticality == null) {
                throw new IllegalArgumentException("defaultCriticality must not be null, was null");
            }
            if (normalMode == null) {
                throw new IllegalArgumentException("normalMode must not be null, was null");
            }
            OperatingMode[] modes = OperatingMode.values();
            for (int i = 0; i < modes.length; i++) {
                Set<ToolCriticality> s = served.get(modes[i]);
                if (!s.contains(ToolCriticality.CRITICAL)) {
                    throw new IllegalArgumentException("served[" + modes[i] + "] must include CRITICAL (critical functions are kept in every mode), was " + s);
                }
                if (i > 0 && !served.get(modes[i - 1]).containsAll(s)) {
                    throw new IllegalArgumentException("served[" + modes[i] + "] must be a subset of served[" + modes[i - 1]
                            + "] (" + served.get(modes[i - 1]) + "), was " + s);
                }
            }
            OperatingMode previous = normalMode;
            for (DisasterLevel l : DisasterLevel.values()) {
                OperatingMode m = levelModes.get(l);
                if (m.ordinal() < previous.ordinal()) {
                    throw new IllegalArgumentException("levelMode[" + l + "] must not be less restrictive than the level below ("
                            + previous + "), was " + m);
                }
                previous = m;
            }
            return new DefaultContinuityPolicy(tools, defaultCriticality, served, levelModes, normalMode);
        }
    }
}
