package io.qudag.resilience.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link ClusterNodeMain} child JVM: one command line in, one answer line out. */
final class NodeProcess {

    final String id;
    private final Process process;
    private final PrintStream to;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private NodeProcess(String id, Process process) {
        this.id = id;
        this.process = process;
        this.to = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    lines.add(l);
                }
            } catch (IOException ignored) {
                // the process died
            }
        }, "node-reader-" + id);
        reader.setDaemon(true);
        reader.start();
    }

    static NodeProcess start(String id, Path root, List<ClusterPeer> peers) throws IOException {
        StringBuilder spec = new StringBuilder();
        for (ClusterPeer p : peers) {
            spec.append(spec.length() == 0 ? "" : ",").append(p.id()).append('=').append(p.address());
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx96m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:-UsePerfData");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ClusterNodeMain.class.getName());
        cmd.add(id);
        cmd.add(root.toString());
        cmd.add(spec.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(root.resolve(id + ".stderr.log").toFile());
        Map<String, String> env = pb.environment();
        env.remove("JAVA_TOOL_OPTIONS");
        return new NodeProcess(id, pb.start());
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits for the child to say it runs. */
    void awaitReady(long timeoutMillis) throws InterruptedException {
        String l = lines.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (l == null || !l.startsWith("READY")) {
            throw new IllegalStateException("node " + id + " did not start: " + l);
        }
    }

    /** Sends one command and returns its answer line. */
    synchronized String send(String command) {
        if (!process.isAlive()) {
            throw new IllegalStateException("node " + id + " is dead");
        }
        to.println(command);
        try {
            String answer = lines.poll(15, TimeUnit.SECONDS);
            if (answer == null) {
                throw new IllegalStateException("node " + id + " did not answer " + command);
            }
            return answer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A value of a {@code status} answer, e.g. {@code field(s, "role")}. */
    static String field(String status, String name) {
        int i = status.indexOf(' ' + name + '=');
        if (i < 0) {
            return null;
        }
        int from = i + name.length() + 2;
        if (name.equals("reason")) {
            return status.substring(from);
        }
        int end = status.indexOf(' ', from);
        return end < 0 ? status.substring(from) : status.substring(from, end);
    }

    /** SIGKILL (Process.destroyForcibly on Linux), then waits for the end. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
