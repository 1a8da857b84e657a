package io.qudag.resilience.core.spi;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;

/**
 * Opens the files a module keeps on disk (the recovery journal's segments and snapshots, audit
 * files). It is the seam through which disk faults of spec §5.1 ({@code disk_failure}) reach real
 * storage code: the chaos module hands in a factory whose channels fail or corrupt bytes, and the
 * module under test neither knows nor changes. The default opens plain {@link FileChannel}s.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface FileChannelFactory {

    /**
     * Opens {@code path} as {@link FileChannel#open(Path, Set, FileAttribute[])} does.
     *
     * @param path the file
     * @param options how to open it, as for {@link FileChannel#open(Path, Set, FileAttribute[])}
     * @param attributes attributes for a file created by the call
     * @return the open channel; the caller closes it
     * @throws java.io.IOException when the file cannot be opened
     */
    FileChannel open(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attributes)
            throws IOException;

    /** {@return the factory that opens plain file channels} */
    static FileChannelFactory standard() {
        return FileChannel::open;
    }
}
