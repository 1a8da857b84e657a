package io.qudag.resilience.chaos.disk;

import io.qudag.resilience.chaos.ChaosSwitch;
import io.qudag.resilience.chaos.Fault;
import io.qudag.resilience.chaos.FaultKind;
import io.qudag.resilience.chaos.internal.SeededRandom;
import io.qudag.resilience.core.spi.FileChannelFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Disk failure (spec §5.1 {@code disk_failure}, {@code io_corruption}): a {@link FileChannelFactory}
 * whose channels, while the fault is on, fail reads, writes or {@code force} with an
 * {@link IOException}, or flip one byte of what is written or read. Hand it to storage code (e.g. the
 * recovery journal) in place of {@link FileChannelFactory#standard()}; while off, channels pass every
 * call straight through. Each operation is hit with probability {@code rate}, drawn from a seeded source.
 */
public final class FaultyFileChannelFactory implements FileChannelFactory {

    /** What the channels do while the fault is on. */
    public enum DiskFault {
        /** {@code write} throws. */
        FAIL_WRITES,
        /** {@code read} throws. */
        FAIL_READS,
        /** {@code force} (fsync) throws. */
        FAIL_FORCE,
        /** One byte of each hit write is flipped on its way to disk (the caller sees success). */
        CORRUPT_WRITES,
        /** One byte of each hit read is flipped on its way to the caller. */
        CORRUPT_READS
    }

    private final FileChannelFactory delegate;
    private final ChaosSwitch chaosSwitch;
    private final SeededRandom random;
    private final AtomicLong injected = new AtomicLong();
    private volatile Set<DiskFault> active = EnumSet.noneOf(DiskFault.class);
    private volatile double rate = 1.0;

    /**
     * Creates a factory with every fault off.
     *
     * @param delegate    opens the real channels
     * @param chaosSwitch the switch that must be armed for its {@link #fault} to inject
     * @param seed        the seed of the draws: the same seed hits the same operations
     */
    public FaultyFileChannelFactory(FileChannelFactory delegate, ChaosSwitch chaosSwitch, long seed) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.chaosSwitch = Objects.requireNonNull(chaosSwitch, "chaosSwitch");
        this.random = new SeededRandom(seed);
    }

    /**
     * Turns {@code faults} on at {@code rate} (0–1) for every channel this factory opened or opens.
     *
     * @param rate   the share of operations hit, 0–1
     * @param faults the faults, at least one
     * @throws IllegalArgumentException naming the value when {@code rate} is out of range or {@code faults} is empty
     */
    public void activate(double rate, DiskFault... faults) {
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException("rate must be between 0 and 1, was " + rate);
        }
        if (faults == null || faults.length == 0) {
            throw new IllegalArgumentException("faults must name at least one DiskFault, was none");
        }
        EnumSet<DiskFault> set = EnumSet.noneOf(DiskFault.class);
        for (DiskFault f : faults) {
            set.add(Objects.requireNonNull(f, "faults[]"));
        }
        this.rate = rate;
        this.active = set;
    }

    /** Turns every fault off. */
    public void deactivate() {
        this.active = EnumSet.noneOf(DiskFault.class);
    }

    /** {@return the operations hit so far} */
    public long injected() {
        return injected.get();
    }

    /**
     * {@return this factory's faults as an experiment {@link Fault}}
     *
     * @param name   the fault's name
     * @param rate   the share of operations hit, 0–1
     * @param faults the faults, at least one
     */
    public Fault fault(String name, double rate, DiskFault... faults) {
        return Fault.of(name, FaultKind.DISK, "disk " + java.util.Arrays.toString(faults) + " at rate " + rate,
                chaosSwitch, () -> activate(rate, faults), this::deactivate);
    }

    @Override
    public FileChannel open(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attributes)
            throws IOException {
        return new FaultyChannel(delegate.open(path, options, attributes), path);
    }

    private boolean hit(DiskFault fault) {
        if (!chaosSwitch.armed() || !active.contains(fault)) {
            return false;
        }
        if (random.nextDouble() >= rate) {
            return false;
        }
        injected.incrementAndGet();
        return true;
    }

    private final class FaultyChannel extends FileChannel {
        private final FileChannel ch;
        private final Path path;

        FaultyChannel(FileChannel ch, Path path) {
            this.ch = ch;
            this.path = path;
        }

        private IOException failure(String op) {
            return new IOException("[chaos:disk] injected " + op + " failure on " + path);
        }

        private ByteBuffer corrupted(ByteBuffer src) {
            ByteBuffer copy = ByteBuffer.allocate(src.remaining());
            copy.put(src.duplicate()).flip();
            if (copy.remaining() > 0) {
                int at = random.nextInt(copy.remaining());
                copy.put(at, (byte) (copy.get(at) ^ 0x5A));
            }
            return copy;
        }

        private int write0(ByteBuffer src, long position) throws IOException {
            if (hit(DiskFault.FAIL_WRITES)) {
                throw failure("write");
            }
            if (hit(DiskFault.CORRUPT_WRITES)) {
                ByteBuffer bad = corrupted(src);
                int n = position < 0 ? ch.write(bad) : ch.write(bad, position);
                src.position(src.position() + n);
                return n;
            }
            return position < 0 ? ch.write(src) : ch.write(src, position);
        }

        private int read0(ByteBuffer dst, long position) throws IOException {
            if (hit(DiskFault.FAIL_READS)) {
                throw failure("read");
            }
            int start = dst.position();
            int n = position < 0 ? ch.read(dst) : ch.read(dst, position);
            if (n > 0 && hit(DiskFault.CORRUPT_READS)) {
                int at = start + random.nextInt(n);
                dst.put(at, (byte) (dst.get(at) ^ 0x5A));
            }
            return n;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return read0(dst, -1);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                int n = read0(dsts[i], -1);
                if (n < 0) {
                    return total == 0 ? -1 : total;
                }
                total += n;
                if (dsts[i].hasRemaining()) {
                    break;
                }
            }
            return total;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return write0(src, -1);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                total += write0(srcs[i], -1);
            }
            return total;
        }

        @Override
        public long position() throws IOException {
            return ch.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            ch.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return ch.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            ch.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (hit(DiskFault.FAIL_FORCE)) {
                throw failure("force");
            }
            ch.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            if (hit(DiskFault.FAIL_READS)) {
                throw failure("read");
            }
            return ch.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            if (hit(DiskFault.FAIL_WRITES)) {
                throw failure("write");
            }
            return ch.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return read0(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return write0(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return ch.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return ch.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return ch.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            ch.close();
        }
    }
}
