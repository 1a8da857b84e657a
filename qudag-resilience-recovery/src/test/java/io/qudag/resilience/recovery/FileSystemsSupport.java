package io.qudag.resilience.recovery;

import java.nio.file.Path;

/** Test helper: whether permission bits are enforced for this process. */
final class FileSystemsSupport {

    private FileSystemsSupport() {
    }

    static boolean posixAndNotRoot(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix")
                && !"root".equals(System.getProperty("user.name"));
    }
}
