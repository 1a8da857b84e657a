package io.qudag.resilience.recovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.function.BooleanSupplier;

/**
 * A file channel whose {@code force} fails while {@code failForce} says so, and whose positional writes
 * flip their first byte while {@code corruptWrites} says so: disk faults for one test.
 */
final class FaultyChannel extends FileChannel {

    private final FileChannel d;
    private final BooleanSupplier failForce;

    private final BooleanSupplier corruptWrites;

    FaultyChannel(FileChannel delegate, BooleanSupplier failForce) {
        this(delegate, failForce, () -> false);
    }

    FaultyChannel(FileChannel delegate, BooleanSupplier failForce, BooleanSupplier corruptWrites) {
        this.d = delegate;
        this.failForce = failForce;
        this.corruptWrites = corruptWrites;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return d.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return d.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return d.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return d.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
        return d.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        d.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return d.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        d.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        if (failForce.getAsBoolean()) {
            throw new IOException("injected fsync failure (EIO)");
        }
        d.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return d.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return d.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return d.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        if (corruptWrites.getAsBoolean() && src.hasRemaining()) {
            ByteBuffer bad = ByteBuffer.allocate(src.remaining());
            bad.put(src.duplicate()).flip();
            bad.put(0, (byte) (bad.get(0) ^ 0x5A));
            int n = d.write(bad, position);
            src.position(src.position() + n);
            return n;
        }
        return d.write(src, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return d.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return d.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return d.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        d.close();
    }
}
