package io.qudag.resilience.mcp.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/** A child process a test starts and ends by PID (SIGKILL via {@link Process#destroyForcibly()}). */
public final class ChildProcess implements AutoCloseable {

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ChildProcess(Process process) {
        this.process = process;
        pump(process.getInputStream());
        pump(process.getErrorStream());
    }

    private void pump(InputStream in) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the child died
            }
        }, "child-output-" + process.pid());
        t.setDaemon(true);
        t.start();
    }

    public static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** JVM options that make a small child JVM start fast. */
    public static List<String> javaArgs(Class<?> main, String... args) {
        return javaArgs("none", main, args);
    }

    /**
     * Like {@link #javaArgs(Class, String...)}, with {@code marker} first on the command line (before the
     * long class path, which the OS view of the command line may truncate) so the child can be found.
     */
    public static List<String> javaArgs(String marker, Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>(List.of("-Dqudag.test.marker=" + marker, "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xmx128m", "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    public static ChildProcess java(Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin());
        cmd.addAll(javaArgs(main, args));
        return new ChildProcess(new ProcessBuilder(cmd).start());
    }

    public static ChildProcess node(Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("node");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        return new ChildProcess(pb.start());
    }

    /** Waits for an output line (stdout or stderr) matching {@code p}. */
    public String awaitLine(Predicate<String> p, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < end) {
            String line = lines.poll(50, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.add(line);
                if (p.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive() && lines.isEmpty()) {
                break;
            }
        }
        throw new IllegalStateException("child " + process.pid() + " printed no matching line within " + timeout
                + "; alive=" + process.isAlive() + ", output=" + seen);
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** SIGSTOP: the process freezes with its sockets open (a long GC pause, a hung event loop). */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: a frozen process runs again. */
    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).redirectErrorStream(true)
                .start();
        if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** SIGKILL, and wait until the kernel reaped it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** Kills (by PID) every child of this JVM whose command line contains {@code marker}. */
    public static int killChildrenMatching(String marker) {
        int n = 0;
        for (ProcessHandle h : ProcessHandle.current().children().toList()) {
            if (commandLine(h).contains(marker)) {
                h.destroyForcibly();
                n++;
            }
        }
        return n;
    }

    /** The child of this JVM whose command line contains {@code marker}. */
    public static Optional<ProcessHandle> childMatching(String marker) {
        return ProcessHandle.current().children().filter(h -> h.isAlive() && commandLine(h).contains(marker))
                .findFirst();
    }

    static String commandLine(ProcessHandle h) {
        return h.info().commandLine().orElseGet(() -> h.info().command().orElse("")
                + " " + String.join(" ", h.info().arguments().orElse(new String[0])));
    }

    /** A free loopback port (for servers that cannot report the port they bound). */
    public static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The installed {@code @modelcontextprotocol/server-everything}, or a skipped test when node is absent and not CI. */
    public static Path everythingServer() {
        String dir = System.getProperty("qudag.mcp.everything.dir", "target/npm/node_modules/@modelcontextprotocol/server-everything");
        Path index = Path.of(dir, "dist", "index.js");
        boolean ci = System.getenv("CI") != null && !System.getenv("CI").isBlank();
        if (!ci) {
            Assumptions.assumeTrue(nodeAvailable(), "node is absent and CI is not set");
            Assumptions.assumeTrue(Files.exists(index), "server-everything not installed at " + index);
        }
        if (!Files.exists(index)) {
            throw new IllegalStateException("CI is set but " + index + " is missing (npm install failed?)");
        }
        return index;
    }

    static boolean nodeAvailable() {
        for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(p, "node"))) {
                return true;
            }
        }
        return false;
    }
}
