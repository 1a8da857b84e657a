package io.qudag.resilience.chaos.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.qudag.resilience.chaos.ChaosSwitch;
import io.qudag.resilience.chaos.CorruptionMode;
import io.qudag.resilience.chaos.InjectorConfig;
import io.qudag.resilience.chaos.PayloadCodec;
import io.qudag.resilience.core.ToolCall;
import java.util.List;

/** Damages the JSON of a result after the attempt returned (spec §5.1 {@code payload_manipulation}). */
public final class PayloadCorruptionInjector<R> extends AbstractFaultInjector<R> {

    private final PayloadCodec<R> codec;
    private final CorruptionMode[] modes;

    public PayloadCorruptionInjector(InjectorConfig config, ChaosSwitch chaosSwitch, MeterRegistry meters,
            boolean everyCall, PayloadCodec<R> codec, List<CorruptionMode> modes) {
        super(config, chaosSwitch, meters, everyCall);
        this.codec = codec;
        this.modes = modes.toArray(new CorruptionMode[0]);
    }

    @Override
    public R beforeAttempt(ToolCall call) {
        return null;
    }

    @Override
    public R afterAttempt(ToolCall call, R result) {
        if (result == null || !live() || !hit(call)) {
            return result;
        }
        JsonNode json = codec.toJson(result);
        if (json == null) {
            return result;
        }
        CorruptionMode mode = modes[random.nextInt(modes.length)];
        if (mode == CorruptionMode.TRUNCATE && json.isContainerNode()) {
            return codec.fromTruncatedText(JsonCorruptor.truncate(json.toString(), random), result);
        }
        JsonNode damaged = JsonCorruptor.corrupt(json, mode, random);
        return damaged == null ? result : codec.fromJson(damaged);
    }
}
