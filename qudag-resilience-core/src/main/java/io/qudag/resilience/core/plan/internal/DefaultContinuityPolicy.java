package io.qudag.resilience.core.plan.internal;

import io.qudag.resilience.core.plan.ContinuityPolicy;
import io.qudag.resilience.core.plan.DisasterLevel;
import io.qudag.resilience.core.plan.OperatingMode;
import io.qudag.resilience.core.plan.ToolCriticality;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link ContinuityPolicy} built by its builder (spec §4.3): volatile mode, immutable maps. */
public final class DefaultContinuityPolicy implements ContinuityPolicy {

    private static final Logger log = LoggerFactory.getLogger(DefaultContinuityPolicy.class);

    private final Map<String, ToolCriticality> tools;
    private final ToolCriticality defaultCriticality;
    private final Map<OperatingMode, Set<ToolCriticality>> served;
    private final Map<OperatingMode, String> servedText;
    private final Map<DisasterLevel, OperatingMode> levelModes;
    private final OperatingMode normalMode;
    private final List<ModeListener> listeners = new CopyOnWriteArrayList<>();

    private final Object lock = new Object();
    private volatile OperatingMode mode;
    private volatile OperatingMode operatorMode;
    private DisasterLevel level;

    public DefaultContinuityPolicy(Map<String, ToolCriticality> tools, ToolCriticality defaultCriticality,
            Map<OperatingMode, Set<ToolCriticality>> served, Map<DisasterLevel, OperatingMode> levelModes,
            OperatingMode normalMode) {
        this.tools = Map.copyOf(tools);
        this.defaultCriticality = defaultCriticality;
        Map<OperatingMode, Set<ToolCriticality>> s = new EnumMap<>(OperatingMode.class);
        Map<OperatingMode, String> t = new EnumMap<>(OperatingMode.class);
        served.forEach((m, c) -> {
            s.put(m, Collections.unmodifiableSet(EnumSet.copyOf(c)));
            t.put(m, String.join(", ", c.stream().map(Enum::name).toList()));
        });
        this.served = s;
        this.servedText = t;
        this.levelModes = new EnumMap<>(levelModes);
        this.normalMode = normalMode;
        this.mode = normalMode;
    }

    @Override
    public OperatingMode mode() {
        return mode;
    }

    @Override
    public Optional<OperatingMode> operatorMode() {
        return Optional.ofNullable(operatorMode);
    }

    @Override
    public ToolCriticality criticality(String tool) {
        ToolCriticality c = tool == null ? null : tools.get(tool);
        return c == null ? defaultCriticality : c;
    }

    @Override
    public boolean isServed(String tool) {
        return isServed(tool, mode);
    }

    @Override
    public boolean isServed(String tool, OperatingMode m) {
        return served.get(m).contains(criticality(tool));
    }

    @Override
    public Set<ToolCriticality> served(OperatingMode m) {
        return served.get(m);
    }

    @Override
    public String unavailableMessage(String tool) {
        OperatingMode m = mode;
        return "Tool '" + tool + "' is temporarily unavailable: the service runs in " + m + " mode and serves only "
                + servedText.get(m) + " tools.";
    }

    @Override
    public void followLevel(DisasterLevel newLevel) {
        update(() -> level = newLevel, "level " + (newLevel == null ? "none" : newLevel.number()));
    }

    @Override
    public void setOperatorMode(OperatingMode m) {
        if (m == null) {
            throw new IllegalArgumentException("mode must not be null, was null");
        }
        update(() -> operatorMode = m, "operator set " + m);
    }

    @Override
    public void clearOperatorMode() {
        update(() -> operatorMode = null, "operator mode cleared");
    }

    @Override
    public void addModeListener(ModeListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null, was null");
        }
        listeners.add(listener);
    }

    private void update(Runnable change, String reason) {
        OperatingMode from;
        OperatingMode to;
        synchronized (lock) {
            from = mode;
            change.run();
            to = operatorMode != null ? operatorMode : level == null ? normalMode : levelModes.get(level);
            mode = to;
        }
        if (from != to) {
            log.info("Operating mode {} -> {} ({})", from, to, reason);
            for (ModeListener l : listeners) {
                try {
                    l.onModeChange(from, to, reason);
                } catch (RuntimeException e) {
                    log.warn("Mode listener failed on {} -> {}", from, to, e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "ContinuityPolicy{mode=" + mode + ", operatorMode=" + operatorMode + ", tools=" + new HashMap<>(tools).size() + "}";
    }
}
