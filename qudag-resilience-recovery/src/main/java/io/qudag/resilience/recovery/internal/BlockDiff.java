package io.qudag.resilience.recovery.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Differential compression of snapshot images: the blocks of {@code current} that differ from the
 * same blocks of {@code base}, plus the new length.
 * Format: new length (int) | block size (int) | count (int) | count × (block index (int) | length (int) | bytes).
 */
public final class BlockDiff {

    public static final int BLOCK = 1024;

    private BlockDiff() {
    }

    public static byte[] diff(byte[] base, byte[] current) {
        int blocks = (current.length + BLOCK - 1) / BLOCK;
        int changed = 0;
        int bytes = 12;
        for (int i = 0; i < blocks; i++) {
            if (differs(base, current, i)) {
                changed++;
                bytes += 8 + Math.min(BLOCK, current.length - i * BLOCK);
            }
        }
        ByteBuffer b = ByteBuffer.allocate(bytes);
        b.putInt(current.length).putInt(BLOCK).putInt(changed);
        for (int i = 0; i < blocks; i++) {
            if (differs(base, current, i)) {
                int len = Math.min(BLOCK, current.length - i * BLOCK);
                b.putInt(i).putInt(len).put(current, i * BLOCK, len);
            }
        }
        return b.array();
    }

    private static boolean differs(byte[] base, byte[] current, int block) {
        int from = block * BLOCK;
        int to = Math.min(current.length, from + BLOCK);
        if (to > base.length) {
            return true;
        }
        return Arrays.mismatch(base, from, to, current, from, to) >= 0;
    }

    public static byte[] apply(byte[] base, byte[] diff) {
        ByteBuffer b = ByteBuffer.wrap(diff);
        int length = b.getInt();
        int block = b.getInt();
        int count = b.getInt();
        byte[] out = Arrays.copyOf(base, length);
        for (int c = 0; c < count; c++) {
            int index = b.getInt();
            int len = b.getInt();
            b.get(out, index * block, len);
        }
        return out;
    }
}
