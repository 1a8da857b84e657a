package io.qudag.resilience.chaos.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium for page tests. Fails (does not skip) when {@code CI} is set and chromium is
 * missing; skips locally. Every process it starts is killed by PID when it overruns.
 */
public final class Chromium {

    private static final Path BINARY = Path.of("/usr/bin/chromium");

    private Chromium() {
    }

    public static void require() {
        boolean ci = System.getenv("CI") != null && !System.getenv("CI").isBlank();
        if (!Files.isExecutable(BINARY)) {
            if (ci) {
                throw new AssertionError("CI is set but " + BINARY + " is missing (install the Debian package chromium)");
            }
            Assumptions.assumeTrue(false, "chromium is not installed");
        }
    }

    /** The DOM after rendering {@code page}. */
    public static String dumpDom(Path page, Path profile) throws IOException, InterruptedException {
        Path out = Files.createTempFile(profile, "dom", ".html");
        run(profile, out, "--dump-dom", page.toUri().toString());
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** Renders {@code page} to {@code png} at 1200×900. */
    public static void screenshot(Path page, Path png, Path profile) throws IOException, InterruptedException {
        run(profile, null, "--screenshot=" + png.toAbsolutePath(), "--window-size=1200,900", page.toUri().toString());
    }

    private static void run(Path profile, Path stdout, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile.resolve("profile")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.redirectOutput(stdout == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(stdout.toFile()));
        Process p = pb.start();
        try {
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                throw new AssertionError("chromium did not finish in 90 s");
            }
        } finally {
            if (p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
