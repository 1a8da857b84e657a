package io.qudag.resilience.health.predict;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens to the JVM's garbage-collection notifications and reports the heap used after each
 * collection (the sum of the heap pools' usage after GC) to a callback, e.g. a
 * {@link MemoryLeakDetector} (spec §2.1 {@code memory_leak_detection}). Notifications arrive on a JVM
 * service thread; the callback must be quick and thread-safe. {@link #close()} unregisters.
 */
public final class GcHeapListener implements NotificationListener, AutoCloseable {

    /** Receives the heap used after one collection. */
    @FunctionalInterface
    public interface Callback {
        /**
         * Called after each garbage collection.
         *
         * @param atMillis when it ended, epoch milliseconds
         * @param heapUsedBytes heap in use after it, in bytes
         * @param gcName the collector's name
         */
        void afterGc(long atMillis, long heapUsedBytes, String gcName);
    }

    private static final Logger log = LoggerFactory.getLogger(GcHeapListener.class);

    private final Callback callback;
    private final Clock clock;
    private final Set<String> heapPools = new HashSet<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();

    private GcHeapListener(Callback callback, Clock clock) {
        this.callback = callback;
        this.clock = clock;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
    }

    /**
     * Registers a listener on every collector of this JVM.
     *
     * @param callback called after each collection
     * @param clock stamps the collections
     * @return the listener; close it to unregister
     */
    public static GcHeapListener register(Callback callback, Clock clock) {
        if (callback == null || clock == null) {
            throw new IllegalArgumentException("callback and clock must not be null, were " + callback + ", " + clock);
        }
        GcHeapListener l = new GcHeapListener(callback, clock);
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(l, null, null);
                l.emitters.add(emitter);
            }
        }
        return l;
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        try {
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long used = 0;
            for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (heapPools.contains(e.getKey())) {
                    used += e.getValue().getUsed();
                }
            }
            callback.afterGc(clock.millis(), used, info.getGcName());
        } catch (RuntimeException e) {
            log.warn("GC notification not handled: {}", e.toString());
        }
    }

    @Override
    public void close() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(this);
            } catch (ListenerNotFoundException ignored) {
                // already gone
            }
        }
        emitters.clear();
    }
}
