package io.qudag.resilience.chaos.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.qudag.resilience.chaos.ChaosContext;
import io.qudag.resilience.chaos.ChaosSwitch;
import io.qudag.resilience.chaos.FaultInjector;
import io.qudag.resilience.chaos.InjectorConfig;
import io.qudag.resilience.core.ToolCall;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate every injector shares: switch, window, scope, rate, counters. Subclasses call {@link #live()}
 * first (two volatile reads, no allocation) and {@link #hit(ToolCall)} only when it is true.
 */
abstract class AbstractFaultInjector<R> implements FaultInjector<R> {

    private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);

    protected final InjectorConfig config;
    protected final SeededRandom random;
    private final ChaosSwitch chaosSwitch;
    private final Predicate<ChaosContext> scope;
    private final boolean everyCall;
    private final double rate;
    private final LongAdder considered = new LongAdder();
    private final LongAdder injected = new LongAdder();
    private final Counter counter;
    private final AtomicBoolean saidOff = new AtomicBoolean();
    private volatile boolean started;
    private volatile long endMillis;

    AbstractFaultInjector(InjectorConfig config, ChaosSwitch chaosSwitch, MeterRegistry meters, boolean everyCall) {
        this.config = config;
        this.chaosSwitch = chaosSwitch;
        this.random = new SeededRandom(config.seed());
        this.scope = config.scope();
        this.everyCall = everyCall;
        this.rate = config.rate();
        this.counter = meters == null ? null : Counter.builder("qudag.resilience.chaos.injected")
                .description("faults injected").tag("injector", config.name()).tag("kind", config.kind().name())
                .register(meters);
    }

    @Override
    public InjectorConfig config() {
        return config;
    }

    @Override
    public void start() {
        long now = config.clock().millis();
        endMillis = config.duration().map(d -> saturatedAdd(now, d.toMillis())).orElse(Long.MAX_VALUE);
        started = true;
        if (!chaosSwitch.armed() && saidOff.compareAndSet(false, true)) {
            LOG.info("injector {} started while chaos switch {} is off (enabled in code: {}, {} set: {}): "
                            + "it injects nothing", config.name(), chaosSwitch.name(), chaosSwitch.enabledInCode(),
                    ChaosSwitch.GUARD_VARIABLE, chaosSwitch.guardSet());
        }
        LOG.debug("injector {} started: rate {}, window {}", config.name(), rate, config.duration());
    }

    @Override
    public void stop() {
        started = false;
    }

    @Override
    public boolean active() {
        return started && config.clock().millis() < endMillis;
    }

    @Override
    public long considered() {
        return considered.sum();
    }

    @Override
    public long injected() {
        return injected.sum();
    }

    /** Whether the injector may inject at all: the switch armed (read first: off costs one read) and started. */
    protected final boolean live() {
        return chaosSwitch.armed() && started;
    }

    /** Decides whether this call is hit: window, scope, then the seeded draw against the rate. */
    protected final boolean hit(ToolCall call) {
        if (config.clock().millis() >= endMillis) {
            started = false; // the duration ran out
            return false;
        }
        if (!everyCall && !scope.test(context(call))) {
            return false;
        }
        considered.increment();
        if (random.nextDouble() >= rate) {
            return false;
        }
        injected.increment();
        if (counter != null) {
            counter.increment();
        }
        return true;
    }

    private ChaosContext context(ToolCall call) {
        if (call == null) {
            return new ChaosContext(null, null, null, null);
        }
        return new ChaosContext(call.toolName(), call.endpointId(), call.serviceId(), config.tenantOf().apply(call));
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    @Override
    public String toString() {
        return "FaultInjector{" + config.name() + ", " + config.kind() + ", rate " + rate + '}';
    }
}
