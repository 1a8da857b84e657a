package io.qudag.resilience.chaos.process;

import io.qudag.resilience.chaos.ChaosSwitch;
import io.qudag.resilience.chaos.Fault;
import io.qudag.resilience.chaos.FaultKind;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Server failure by process (spec §5.1 {@code server_failure}, {@code process_termination}): SIGKILL,
 * SIGSTOP and SIGCONT of a process by PID, sent with the system's {@code kill} command. A stopped
 * process keeps its sockets open and answers nothing: the gray failure only a deadline can tell.
 */
public final class ProcessSignals {

    private ProcessSignals() {
    }

    /**
     * Sends SIGKILL and waits up to 5 s until the process is gone.
     *
     * @param pid the process id (not this JVM's)
     * @throws IOException          when {@code kill} fails or does not finish in 5 s
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public static void kill(long pid) throws IOException, InterruptedException {
        signal("KILL", pid);
        ProcessHandle.of(pid).ifPresent(h -> {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reaped by its parent later
            }
        });
    }

    /**
     * Sends SIGSTOP: the process freezes with its sockets open.
     *
     * @param pid the process id (not this JVM's)
     * @throws IOException          when {@code kill} fails or does not finish in 5 s
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public static void stop(long pid) throws IOException, InterruptedException {
        signal("STOP", pid);
    }

    /**
     * Sends SIGCONT: a stopped process runs again.
     *
     * @param pid the process id (not this JVM's)
     * @throws IOException          when {@code kill} fails or does not finish in 5 s
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public static void resume(long pid) throws IOException, InterruptedException {
        signal("CONT", pid);
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive, was " + pid);
        }
        if (pid == ProcessHandle.current().pid()) {
            throw new IllegalArgumentException("pid must not be this JVM's own, was " + pid);
        }
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("kill -" + signal + " " + pid + " did not finish in 5 s");
        }
        if (p.exitValue() != 0) {
            String out = new String(p.getInputStream().readAllBytes()).trim();
            throw new IOException("kill -" + signal + " " + pid + " failed (" + p.exitValue() + "): " + out);
        }
    }

    /**
     * {@return a fault that sends SIGSTOP on inject and SIGCONT on heal}
     *
     * @param name        the fault's name
     * @param pid         the process id
     * @param chaosSwitch the switch that must be armed
     */
    public static Fault freezeFault(String name, long pid, ChaosSwitch chaosSwitch) {
        return Fault.of(name, FaultKind.SERVER_FAILURE, "SIGSTOP process " + pid, chaosSwitch,
                () -> stop(pid), () -> resume(pid));
    }

    /**
     * {@return a fault that sends SIGKILL on inject; heal runs {@code restart} (which may do nothing)}
     *
     * @param name        the fault's name
     * @param pid         the process id
     * @param chaosSwitch the switch that must be armed
     * @param restart     runs on heal
     */
    public static Fault killFault(String name, long pid, ChaosSwitch chaosSwitch, Fault.Action restart) {
        return Fault.of(name, FaultKind.SERVER_FAILURE, "SIGKILL process " + pid, chaosSwitch,
                () -> kill(pid), restart);
    }

    /**
     * Stops an in-process server on inject and starts it again on heal.
     *
     * @param name        the fault's name
     * @param stop        stops the server
     * @param start       starts it again
     * @param chaosSwitch the switch that must be armed
     * @return the fault
     */
    public static Fault serverStopFault(String name, Fault.Action stop, Fault.Action start, ChaosSwitch chaosSwitch) {
        return Fault.of(name, FaultKind.SERVER_FAILURE, "stop in-process server " + name, chaosSwitch, stop, start);
    }
}
